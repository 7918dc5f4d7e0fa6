// Opinions are Nodes of the API (`node(id:)`, `nodes(ids:)`): they carry the shared :Entity
// label, and with it the uniqueness of ids across kinds. Labels opinions recorded before.
MATCH (o:Opinion) WHERE NOT o:Entity SET o:Entity;
