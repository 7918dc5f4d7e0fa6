// The `routing` project runs the same suites through a neo4j:// URI: the routing driver, as
// against a cluster or Aura (routing table, reads routed to readers, bookmarks), here a single
// server that is its own cluster of one.
const uri = process.env.TEST_BOLT_URI ?? process.env.NEO4J_URI ?? '';
process.env.NEO4J_URI = uri.replace(/^bolt(\+s|\+ssc)?:/, 'neo4j$1:');
