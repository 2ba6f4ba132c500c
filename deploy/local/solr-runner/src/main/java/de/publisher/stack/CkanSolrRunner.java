package de.publisher.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Runs a standalone Solr 9 node on 127.0.0.1 (JettySolrRunner binds there) for the local stack.
 *
 * <p>Usage: {@code CkanSolrRunner <solrHome> <port>}. The solr home holds solr.xml and one core
 * directory per core (core discovery), so the {@code ckan} core is picked up from disk. The
 * process blocks until it receives SIGTERM/SIGINT, then stops Jetty cleanly.
 */
public final class CkanSolrRunner {
  private CkanSolrRunner() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: CkanSolrRunner <solrHome> <port>");
      System.exit(2);
    }
    Path home = Path.of(args[0]).toAbsolutePath();
    if (!Files.isRegularFile(home.resolve("solr.xml"))) {
      System.err.println("no solr.xml in solr home " + home);
      System.exit(2);
    }
    int port = Integer.parseInt(args[1]);
    JettyConfig config =
        JettyConfig.builder().setPort(port).setContext("/solr").stopAtShutdown(false).build();
    JettySolrRunner runner = new JettySolrRunner(home.toString(), config);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    runner.stop();
                  } catch (Exception e) {
                    System.err.println("error while stopping Solr: " + e);
                  } finally {
                    stopped.countDown();
                  }
                }));
    runner.start();
    System.out.println("solr-runner: listening on " + runner.getBaseUrl());
    stopped.await();
  }
}
