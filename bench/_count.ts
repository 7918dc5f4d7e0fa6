import neo4j from 'neo4j-driver';
(async () => {
  const d = neo4j.driver(
    `bolt://127.0.0.1:${process.argv[2]}`,
    neo4j.auth.basic('neo4j', 'local-dev-password'),
  );
  const r = await d.executeQuery(
    "MATCH (i:Incident) WHERE i.id STARTS WITH 'syn-inc-' RETURN count(i) AS n",
  );
  console.log(r.records[0].get('n').toString());
  await d.close();
})();
