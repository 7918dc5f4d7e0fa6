import { cypher, listMigrations } from '../src/db';
import { LABELS } from '../src/model';
import { testConnect, uid } from './helpers';

const WRITE = cypher(
  'testWrite',
  'CREATE (n:Entity:TestNode {id: $id, at: datetime()}) RETURN n.id AS id',
);
const READ = cypher<{ id: string }>('testRead', 'MATCH (n:TestNode {id: $id}) RETURN n.id AS id');
const CLEAN = cypher('testClean', 'MATCH (n:TestNode {id: $id}) DELETE n');
const VERSION = cypher<{ version: string; edition: string }>(
  'testVersion',
  'CALL dbms.components() YIELD versions, edition RETURN versions[0] AS version, edition',
);
const CONSTRAINTS = cypher<{ name: string; labels: string[]; properties: string[]; type: string }>(
  'testConstraints',
  'SHOW CONSTRAINTS YIELD name, labelsOrTypes AS labels, properties, type RETURN name, labels, properties, type',
);
const INDEXES = cypher<{ name: string; type: string; state: string }>(
  'testIndexes',
  'SHOW INDEXES YIELD name, type, state RETURN name, type, state',
);

describe('Neo4j over Bolt', () => {
  it('writes and reads back through Bolt against Neo4j 5.26', async () => {
    const conn = await testConnect();
    try {
      const db = conn.db();
      const [{ version, edition }] = await db.read(VERSION);
      process.stderr.write(
        `server: Neo4j ${version} ${edition} (${(await conn.driver.getServerInfo()).agent})\n`,
      );
      expect(version).toMatch(/^5\.26\./);
      const id = uid('bolt');
      await db.write((tx) => tx.run(WRITE, { id }));
      expect(await conn.db().read(READ, { id })).toEqual([{ id }]);
      await db.write((tx) => tx.run(CLEAN, { id }));
      expect(await conn.db().read(READ, { id })).toEqual([]);
    } finally {
      await conn.close();
    }
  });

  it('has a uniqueness constraint on every id and the full-text index after migration', async () => {
    const conn = await testConnect();
    try {
      const constraints = await conn.db().read(CONSTRAINTS);
      for (const label of ['Entity', ...LABELS]) {
        expect(constraints).toContainEqual(
          expect.objectContaining({ labels: [label], properties: ['id'], type: 'UNIQUENESS' }),
        );
      }
      const indexes = await conn.db().read(INDEXES);
      expect(indexes).toContainEqual({ name: 'search', type: 'FULLTEXT', state: 'ONLINE' });
      expect(listMigrations().length).toBeGreaterThanOrEqual(2);
    } finally {
      await conn.close();
    }
  });

  it('rejects a duplicate id across kinds (the :Entity constraint)', async () => {
    const conn = await testConnect();
    const id = uid('dup');
    try {
      await conn.db().write((tx) => tx.run(WRITE, { id }));
      await expect(conn.db().write((tx) => tx.run(WRITE, { id }))).rejects.toMatchObject({
        extensions: { code: 'CONFLICT' },
      });
    } finally {
      await conn.db().write((tx) => tx.run(CLEAN, { id }));
      await conn.close();
    }
  });
});
