package attribution;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.graphdb.GraphDatabaseService;

/**
 * A local Neo4j 5.26 Community DBMS for development and tests: the embedded DBMS with the Bolt
 * connector bound to 127.0.0.1 only. Arguments: --home DIR --port N --password-file FILE
 * [--pagecache 256m]. The password is read from FILE (mode 0600), never taken on the command line
 * where every local user could read it.
 * Prints "READY bolt://127.0.0.1:N" once Bolt accepts connections; shuts down cleanly on SIGTERM.
 * See https://neo4j.com/docs/java-reference/5/java-embedded/bolt/
 */
public final class Neo4jLocal {
  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new java.util.HashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) opts.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    Path home = Path.of(require(opts, "home")).toAbsolutePath();
    int port = Integer.parseInt(require(opts, "port"));
    String password = java.nio.file.Files.readString(Path.of(require(opts, "password-file"))).strip();
    if (password.length() < 8) throw new IllegalArgumentException("password file holds fewer than 8 characters");
    String pagecache = opts.getOrDefault("pagecache", "256m");

    DatabaseManagementService dbms = new DatabaseManagementServiceBuilder(home)
        .setConfig(BoltConnector.enabled, true)
        .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", port))
        .setConfig(BoltConnector.advertised_address, new SocketAddress("127.0.0.1", port))
        .setConfig(HttpConnector.enabled, false)
        .setConfig(GraphDatabaseSettings.auth_enabled, true)
        .setConfig(GraphDatabaseSettings.pagecache_memory, org.neo4j.io.ByteUnit.parse(pagecache))
        .setConfig(GraphDatabaseSettings.transaction_timeout, Duration.ofMinutes(5))
        .build();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("STOPPING");
      dbms.shutdown();
      System.out.println("STOPPED");
    }));

    GraphDatabaseService system = dbms.database(GraphDatabaseSettings.SYSTEM_DATABASE_NAME);
    try {
      system.executeTransactionally(
          "ALTER USER neo4j SET PASSWORD $pw CHANGE NOT REQUIRED", Map.of("pw", password));
    } catch (RuntimeException e) {
      // Same password as before: nothing to change.
      if (!String.valueOf(e.getMessage()).contains("Old password and new password cannot be the same")) throw e;
    }
    dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME).executeTransactionally("RETURN 1");
    System.out.println("READY bolt://127.0.0.1:" + port);
    System.out.flush();
    Thread.currentThread().join();
  }

  private static String require(Map<String, String> opts, String key) {
    String v = opts.get(key);
    if (v == null) throw new IllegalArgumentException("missing --" + key);
    return v;
  }
}
