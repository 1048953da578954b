/** The test cluster's start-up fails saying what is missing, never skips (the Spark suite must not pass without Spark). */
import { startSparkStandalone } from '../support/spark-standalone';

describe('startSparkStandalone without Java', () => {
  const saved = process.env.JAVA_HOME;
  afterEach(() => {
    if (saved === undefined) delete process.env.JAVA_HOME;
    else process.env.JAVA_HOME = saved;
  });

  test('fails naming Java 17 and how to install it', async () => {
    process.env.JAVA_HOME = '/nonexistent/jdk';
    await expect(startSparkStandalone()).rejects.toThrow(
      /^Spark Standalone for the tests needs Java 17 or later \(\/nonexistent\/jdk\/bin\/java: spawnSync \/nonexistent\/jdk\/bin\/java ENOENT\); install it \(sudo apt-get install openjdk-17-jre-headless\) or set JAVA_HOME$/,
    );
  });
});
