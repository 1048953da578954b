"""Runs a featurestack-generated SQL file on this job's Spark session.

    run_sql.py <file.sql> [--param name=value ...]

The file is a local path (on Databricks, a /Workspace/... workspace file) or any URL
Spark reads (hdfs://, abfss://). Every ${name} in it is replaced by the value given
with --param (the value ``now`` stands for the current UTC time, for scheduled runs);
a placeholder without a value stops the job before anything runs. Statements end with ';' at the end of a
line and run in order. Generic on purpose: all the logic is in the generated SQL.
"""
import argparse
import datetime
import re
import sys

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
END_OF_STATEMENT = re.compile(r";\s*$")


def parse_params(pairs, now=None):
    now = now or datetime.datetime.now(datetime.timezone.utc)
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise ValueError(f"--param {pair!r}: expected name=value")
        params[name] = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if value == "now" else value
    return params


def substitute(text, params):
    missing = sorted({m.group(1) for m in PLACEHOLDER.finditer(text)} - params.keys())
    if missing:
        raise ValueError("no value for " + ", ".join(missing) + "; pass " + " ".join(f"--param {m}=..." for m in missing))
    return PLACEHOLDER.sub(lambda m: params[m.group(1)], text)


def split_statements(text):
    statements, current = [], []
    for line in text.split("\n"):
        if not current and (line.strip() == "" or line.strip().startswith("--")):
            continue
        if END_OF_STATEMENT.search(line):
            current.append(END_OF_STATEMENT.sub("", line))
            statements.append("\n".join(current))
            current = []
        else:
            current.append(line)
    if any(l.strip() and not l.strip().startswith("--") for l in current):
        statements.append("\n".join(current))
    return statements


def read_text(spark, location):
    if re.match(r"^[a-z][a-z0-9+.-]*://", location) and not location.startswith("file://"):
        return "\n".join(row.value for row in spark.read.text(location, wholetext=True).collect())
    with open(location.removeprefix("file://"), encoding="utf-8") as f:
        return f.read()


def main(argv):
    parser = argparse.ArgumentParser(description="Run a featurestack SQL file on the Spark session.")
    parser.add_argument("sql_file")
    parser.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession  # only needed on the cluster

    spark = SparkSession.builder.appName("featurestack").getOrCreate()
    statements = split_statements(substitute(read_text(spark, args.sql_file), parse_params(args.param)))
    for i, statement in enumerate(statements, 1):
        print(f"featurestack: statement {i}/{len(statements)}", file=sys.stderr, flush=True)
        spark.sql(statement)


if __name__ == "__main__":
    main(sys.argv[1:])
