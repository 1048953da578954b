package featurestack.minidfs;

import java.io.File;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.security.Groups;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * Starts Hadoop's MiniDFSCluster on loopback for the tests: a namenode and datanodes on
 * free ports, WebHDFS and permissions on. When it is ready it prints one JSON line on
 * stdout ({"rpcPort":…,"httpPort":…,"datanodeHttpPorts":[…]}); it shuts down on stdin
 * EOF (the parent died or let go) and on SIGTERM.
 *
 * Usage: MiniDfsLauncher <base dir> [datanodes] [key=value ...]. The superuser is the user
 * the JVM runs as: set HADOOP_USER_NAME to choose it. Each key=value is set in the
 * cluster's Configuration last, e.g. hadoop.user.group.static.mapping.overrides=etl=etl,mobility
 * (only the first '=' splits).
 */
public final class MiniDfsLauncher {
  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: MiniDfsLauncher <base dir> [datanodes] [key=value ...]");
      System.exit(2);
    }
    File baseDir = new File(args[0]);
    int datanodes = args.length > 1 ? Integer.parseInt(args[1]) : 1;

    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, baseDir.getAbsolutePath());
    conf.setBoolean("dfs.webhdfs.enabled", true);
    conf.setBoolean("dfs.permissions.enabled", true);
    // WebHDFS redirects CREATE and OPEN to this name: keep it on loopback.
    conf.set("dfs.datanode.hostname", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.setInt("dfs.replication", Math.min(datanodes, 3));
    // Small test files need no 128 MB blocks; 1 MB keeps a multi-block file cheap to make.
    conf.setLong("dfs.blocksize", 1024 * 1024);
    conf.setLong("dfs.namenode.fs-limits.min-block-size", 1024);
    for (int i = 2; i < args.length; i++) {
      int eq = args[i].indexOf('=');
      if (eq <= 0) {
        System.err.println("not a key=value setting: " + args[i]);
        System.exit(2);
      }
      conf.set(args[i].substring(0, eq), args[i].substring(eq + 1));
    }

    // The group mapping is a JVM-wide singleton, made from a default Configuration on first
    // use: make it from this one, so that a static mapping in the settings takes effect.
    Groups.getUserToGroupsMappingServiceWithLoadedConfiguration(conf);
    UserGroupInformation.setConfiguration(conf);

    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf)
        .numDataNodes(datanodes)
        .nameNodePort(0)
        .nameNodeHttpPort(0)
        .format(true)
        .build();
    cluster.waitActive();

    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cluster.shutdown();
      stopped.countDown();
    }, "minidfs-shutdown"));

    List<String> dnPorts = new ArrayList<>();
    for (DataNode dn : cluster.getDataNodes()) dnPorts.add(Integer.toString(dn.getInfoPort()));
    System.out.println("{\"rpcPort\":" + cluster.getNameNodePort()
        + ",\"httpPort\":" + cluster.getNameNode().getHttpAddress().getPort()
        + ",\"datanodeHttpPorts\":[" + String.join(",", dnPorts) + "]}");
    System.out.flush();

    InputStream in = System.in;
    byte[] buffer = new byte[256];
    while (in.read(buffer) >= 0) {
      // Only EOF matters.
    }
    System.exit(0);
  }
}
