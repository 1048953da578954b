"""Databricks task: loads a featurestack snapshot into the online store.

    load_snapshot.py <snapshot url> --manifest <registry url>

Runs the featurestack CLI that install_featurestack.sh put on the cluster, so the
online layouts are written by the same code that serves them. Credentials come from
the cluster's environment variables (secret references), never from arguments.
"""
import subprocess
import sys

if __name__ == "__main__":
    command = ["featurestack", "materialize", "--from-snapshot", *sys.argv[1:]]
    print("featurestack: " + " ".join(command), flush=True)
    sys.exit(subprocess.call(command))
