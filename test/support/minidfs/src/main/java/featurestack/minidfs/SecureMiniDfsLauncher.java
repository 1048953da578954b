package featurestack.minidfs;

import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.security.PrivilegedExceptionAction;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.security.Credentials;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.hadoop.hdfs.MiniDFSNNTopology;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.apache.hadoop.hdfs.server.namenode.NameNode;
import org.apache.hadoop.minikdc.MiniKdc;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * Starts the MiniDFSCluster the secure and HA tests need, on loopback and free ports:
 * optionally a MiniKdc and a kerberized cluster (SPNEGO on the namenode's HTTP server,
 * delegation tokens on), optionally two namenodes (MiniDFSNNTopology.simpleHATopology,
 * the first made active), optionally HTTPS only (ssl-server.xml on the classpath).
 *
 * Usage: SecureMiniDfsLauncher <base dir> <datanodes> [--kerberos] [--ha] [--https] [key=value ...].
 * When ready it prints one JSON line on stdout starting with {"namenodes":. Then it reads
 * commands on stdin, one a line, and answers each with a JSON line:
 *   active N | standby N     transition namenode N
 *   failover FROM TO         FROM to standby, then TO to active
 *   stop N | restart N       shut namenode N down (connections refused) / start it again (standby)
 *   ls-with-tokens FILE PATH list PATH over HDFS RPC as a user holding only the tokens of the
 *                            credentials file FILE (as Spark does with HADOOP_TOKEN_FILE_LOCATION)
 * EOF on stdin (the parent died or let go) shuts everything down.
 */
public final class SecureMiniDfsLauncher {
  private static final String NAMESERVICE = "minidfs-ns";

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: SecureMiniDfsLauncher <base dir> <datanodes> [--kerberos] [--ha] [--https] [key=value ...]");
      System.exit(2);
    }
    File baseDir = new File(args[0]);
    int datanodes = Integer.parseInt(args[1]);
    boolean kerberos = false, ha = false, https = false;
    List<String> settings = new ArrayList<>();
    for (int i = 2; i < args.length; i++) {
      switch (args[i]) {
        case "--kerberos": kerberos = true; break;
        case "--ha": ha = true; break;
        case "--https": https = true; break;
        default: settings.add(args[i]);
      }
    }

    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(baseDir, "dfs").getAbsolutePath());
    conf.setBoolean("dfs.webhdfs.enabled", true);
    conf.setBoolean("dfs.permissions.enabled", true);
    conf.set("dfs.datanode.hostname", "localhost");
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.setInt("dfs.replication", Math.min(datanodes, 3));
    conf.setLong("dfs.blocksize", 1024 * 1024);
    conf.setLong("dfs.namenode.fs-limits.min-block-size", 1024);
    // A standby tails the shared edits often, so a failover in a test is quick.
    conf.setInt("dfs.ha.tail-edits.period", 1);

    MiniKdc kdc = null;
    String realm = "";
    File serviceKeytab = new File(baseDir, "hdfs.keytab");
    File userKeytab = new File(baseDir, "alice.keytab");
    File otherKeytab = new File(baseDir, "bob.keytab");
    if (kerberos) {
      Properties kdcConf = MiniKdc.createConf();
      kdcConf.setProperty(MiniKdc.KDC_BIND_ADDRESS, "localhost");
      kdc = new MiniKdc(kdcConf, new File(baseDir, "kdc"));
      kdc.start();
      realm = kdc.getRealm();
      kdc.createPrincipal(serviceKeytab, "hdfs/localhost", "HTTP/localhost");
      kdc.createPrincipal(userKeytab, "alice");
      kdc.createPrincipal(otherKeytab, "bob");
      String service = "hdfs/localhost@" + realm;
      conf.set("hadoop.security.authentication", "kerberos");
      conf.set("dfs.namenode.kerberos.principal", service);
      conf.set("dfs.namenode.keytab.file", serviceKeytab.getAbsolutePath());
      conf.set("dfs.datanode.kerberos.principal", service);
      conf.set("dfs.datanode.keytab.file", serviceKeytab.getAbsolutePath());
      conf.set("dfs.web.authentication.kerberos.principal", "HTTP/localhost@" + realm);
      conf.set("dfs.web.authentication.kerberos.keytab", serviceKeytab.getAbsolutePath());
      conf.setBoolean("dfs.block.access.token.enable", true);
      // Datanodes on unprivileged ports without SASL: fine for a test, never for production.
      conf.setBoolean("ignore.secure.ports.for.testing", true);
    }
    if (https) {
      conf.set("dfs.http.policy", "HTTPS_ONLY");
      conf.set("dfs.namenode.https-address", "localhost:0");
      conf.set("dfs.datanode.https.address", "localhost:0");
    } else {
      conf.set("dfs.namenode.http-address", "localhost:0");
    }
    for (String setting : settings) {
      int eq = setting.indexOf('=');
      if (eq <= 0) {
        System.err.println("not a key=value setting: " + setting);
        System.exit(2);
      }
      conf.set(setting.substring(0, eq), setting.substring(eq + 1));
    }
    UserGroupInformation.setConfiguration(conf);
    if (kerberos) UserGroupInformation.loginUserFromKeytab("hdfs/localhost@" + realm, serviceKeytab.getAbsolutePath());

    MiniDFSCluster.Builder builder = new MiniDFSCluster.Builder(conf).numDataNodes(datanodes).format(true);
    if (ha) builder.nnTopology(MiniDFSNNTopology.simpleHATopology());
    else builder.nameNodePort(0).nameNodeHttpPort(0);
    MiniDFSCluster cluster = builder.build();
    if (ha) cluster.transitionToActive(0);
    cluster.waitActive();

    final MiniKdc startedKdc = kdc;
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      cluster.shutdown();
      if (startedKdc != null) startedKdc.stop();
    }, "minidfs-shutdown"));

    StringBuilder ready = new StringBuilder("{\"namenodes\":[");
    int count = ha ? 2 : 1;
    for (int i = 0; i < count; i++) {
      NameNode nn = cluster.getNameNode(i);
      if (i > 0) ready.append(',');
      int webPort = https ? nn.getHttpsAddress().getPort() : nn.getHttpAddress().getPort();
      ready.append("{\"rpcPort\":").append(nn.getNameNodeAddress().getPort()).append(",\"webPort\":").append(webPort).append('}');
    }
    List<String> dnPorts = new ArrayList<>();
    for (DataNode dn : cluster.getDataNodes()) dnPorts.add(Integer.toString(https ? dn.getInfoSecurePort() : dn.getInfoPort()));
    ready.append("],\"datanodeWebPorts\":[").append(String.join(",", dnPorts)).append(']');
    ready.append(",\"nameservice\":\"").append(ha ? NAMESERVICE : "").append('"');
    if (kerberos) {
      ready.append(",\"realm\":\"").append(realm).append('"')
          .append(",\"kdcPort\":").append(kdc.getPort())
          .append(",\"serviceKeytab\":\"").append(json(serviceKeytab.getAbsolutePath())).append('"')
          .append(",\"userKeytab\":\"").append(json(userKeytab.getAbsolutePath())).append('"')
          .append(",\"otherKeytab\":\"").append(json(otherKeytab.getAbsolutePath())).append('"');
    }
    System.out.println(ready.append('}'));
    System.out.flush();

    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] words = line.trim().split("\\s+");
      String result = "";
      try {
        switch (words[0]) {
          case "active": cluster.transitionToActive(Integer.parseInt(words[1])); break;
          case "standby": cluster.transitionToStandby(Integer.parseInt(words[1])); break;
          case "failover":
            cluster.transitionToStandby(Integer.parseInt(words[1]));
            cluster.transitionToActive(Integer.parseInt(words[2]));
            break;
          case "stop": cluster.shutdownNameNode(Integer.parseInt(words[1])); break;
          case "restart": cluster.restartNameNode(Integer.parseInt(words[1]), false); break;
          case "ls-with-tokens": result = listWithTokens(cluster, conf, words[1], words[2]); break;
          default: throw new IllegalArgumentException("unknown command " + words[0]);
        }
        System.out.println("{\"done\":\"" + json(line.trim()) + "\",\"result\":\"" + json(result) + "\"}");
      } catch (Exception e) {
        System.out.println("{\"failed\":\"" + json(line.trim() + ": " + e) + "\"}");
      }
      System.out.flush();
    }
    System.exit(0);
  }

  private static String listWithTokens(MiniDFSCluster cluster, Configuration conf, String file, String path) throws Exception {
    Credentials credentials = Credentials.readTokenStorageFile(new File(file), conf);
    UserGroupInformation user = UserGroupInformation.createRemoteUser("spark-job");
    user.addCredentials(credentials);
    Configuration client = new Configuration(conf);
    return user.doAs((PrivilegedExceptionAction<String>) () -> {
      try (FileSystem fs = FileSystem.newInstance(cluster.getURI(0), client)) {
        List<String> names = new ArrayList<>();
        for (FileStatus status : fs.listStatus(new Path(path))) names.add(status.getPath().getName() + ":" + status.getOwner());
        return String.join(",", names);
      }
    });
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ");
  }
}
