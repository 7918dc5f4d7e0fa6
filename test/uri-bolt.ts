// The `integration` project talks to the test Neo4j through a direct bolt:// URI.
process.env.NEO4J_URI = process.env.TEST_BOLT_URI ?? process.env.NEO4J_URI;
