"""
Runs the real Feast (from the pinned venv, test/support/python/feast-requirements.txt)
for test/feast/: reads one JSON request on stdin, writes one JSON answer on stdout.

Request:
  {
    "repo": folder to write the Feast repository into (feature_store.yaml, registry),
    "project": Feast project name,
    "online_store": {"type": "redis", "connection_string": "127.0.0.1:<port>"}
                    or {"type": "remote", "path": "http://127.0.0.1:<port>"},
    "views": [{"name", "entity", "join_key", "join_key_type" ("INT64"|"STRING"),
               "ttl_seconds", "parquet" (absolute path), "timestamp_field",
               "created_timestamp_column" (or null), "push_source" (name, or null),
               "features": [[name, "Int64"|"Int32"|"Float32"|"Float64"|"String"|"Bool"]]}],
    "steps": [
      {"op": "apply"},
      {"op": "materialize", "start": micros, "end": micros, "views": [..] (optional)},
      {"op": "online", "features": ["view:feature", ...], "entities": {"driver_id": [...]}},
      {"op": "historical", "features": [...], "entities": {column: [...]},
       "timestamp_column": "event_timestamp"},
      {"op": "push", "push_source": name, "rows": {column: [...]}, "timestamp_columns": [...]}
    ]
  }

Times travel as integer epoch microseconds. Answer: {"results": [one per step]}:
  online:     {"feature_names": [...], "results": [{"values", "statuses", "event_timestamps"}]}
              (values as Feast's Value protos hold them; event_timestamps in micros)
  historical: {"columns": [...], "rows": [{column: value}]} in Feast's row order
"""
import json
import math
import os
import sys
from datetime import datetime, timedelta, timezone

import pandas as pd


def micros_to_dt(us):
    return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=int(us))


def dt_to_micros(value):
    ts = pd.Timestamp(value)
    if ts.tzinfo is None:
        ts = ts.tz_localize("UTC")
    return int(ts.value // 1000)


def write_repo(req):
    repo = req["repo"]
    os.makedirs(os.path.join(repo, "data"), exist_ok=True)
    store = req["online_store"]
    if store["type"] == "redis":
        online = f'  type: redis\n  connection_string: "{store["connection_string"]}"\n'
    else:
        online = f'  type: remote\n  path: "{store["path"]}"\n'
    with open(os.path.join(repo, "feature_store.yaml"), "w") as f:
        f.write(
            f"project: {req['project']}\n"
            "provider: local\n"
            f"registry: {os.path.join(repo, 'data', 'registry.db')}\n"
            "online_store:\n" + online +
            "offline_store:\n  type: dask\n"
            "entity_key_serialization_version: 3\n"
        )


def feast_objects(req):
    from feast import Entity, FeatureView, Field, FileSource, PushSource, ValueType
    from feast.types import Bool, Float32, Float64, Int32, Int64, String

    dtypes = {"Int64": Int64, "Int32": Int32, "Float32": Float32, "Float64": Float64, "String": String, "Bool": Bool}
    value_types = {"INT64": ValueType.INT64, "STRING": ValueType.STRING, "INT32": ValueType.INT32}
    objects, entities = [], {}
    for v in req["views"]:
        entity = entities.get(v["entity"])
        if entity is None:
            entity = Entity(name=v["entity"], join_keys=[v["join_key"]], value_type=value_types[v["join_key_type"]])
            entities[v["entity"]] = entity
            objects.append(entity)
        batch = FileSource(
            name=f"{v['name']}_source",
            path=v["parquet"],
            timestamp_field=v["timestamp_field"],
            created_timestamp_column=v.get("created_timestamp_column") or "",
        )
        source = batch
        if v.get("push_source"):
            source = PushSource(name=v["push_source"], batch_source=batch)
            objects.append(batch)
        objects.append(source)
        objects.append(
            FeatureView(
                name=v["name"],
                entities=[entity],
                ttl=timedelta(seconds=v["ttl_seconds"]),
                schema=[Field(name=n, dtype=dtypes[t]) for n, t in v["features"]],
                source=source,
                online=True,
            )
        )
    return objects


def plain_value(value_proto):
    kind = value_proto.WhichOneof("val")
    if kind is None or kind == "null_val":
        return None
    return getattr(value_proto, kind)


def plain_cell(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        return dt_to_micros(value)
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def entity_frame(columns, timestamp_columns):
    df = pd.DataFrame(columns)
    for c in timestamp_columns:
        df[c] = pd.to_datetime(pd.Series(columns[c], dtype="int64"), unit="us", utc=True)
    return df


def run_step(store, req, step):
    op = step["op"]
    if op == "apply":
        store.apply(feast_objects(req))
        return {"ok": True}
    if op == "materialize":
        store.materialize(
            start_date=micros_to_dt(step["start"]),
            end_date=micros_to_dt(step["end"]),
            feature_views=step.get("views"),
        )
        return {"ok": True}
    if op == "online":
        response = store.get_online_features(features=step["features"], entity_rows=step["entities"])
        proto = response.proto
        return {
            "feature_names": list(proto.metadata.feature_names.val),
            "results": [
                {
                    "values": [plain_value(v) for v in r.values],
                    "statuses": [_status_name(s) for s in r.statuses],
                    "event_timestamps": [t.seconds * 1_000_000 + t.nanos // 1000 for t in r.event_timestamps],
                }
                for r in proto.results
            ],
        }
    if op == "historical":
        df = entity_frame(step["entities"], [step.get("timestamp_column", "event_timestamp")])
        out = store.get_historical_features(entity_df=df, features=step["features"]).to_df()
        return {
            "columns": list(out.columns),
            "dtypes": {c: str(t) for c, t in out.dtypes.items()},
            "rows": [{c: plain_cell(row[c]) for c in out.columns} for _, row in out.iterrows()],
        }
    if op == "push":
        from feast.data_source import PushMode

        df = entity_frame(step["rows"], step.get("timestamp_columns", ["event_timestamp"]))
        store.push(step["push_source"], df, to=PushMode.ONLINE)
        return {"ok": True}
    raise ValueError(f"unknown op {op}")


def _status_name(status):
    from feast.protos.feast.serving.ServingService_pb2 import FieldStatus

    return FieldStatus.Name(status)


def main():
    req = json.load(sys.stdin)
    # Feast and its libraries may print: keep stdout for the one JSON answer.
    answer = sys.stdout
    sys.stdout = sys.stderr
    write_repo(req)
    from feast import FeatureStore

    store = FeatureStore(repo_path=req["repo"])
    results = []
    for step in req["steps"]:
        results.append(run_step(store, req, step))
    json.dump({"results": results}, answer)
    answer.flush()


if __name__ == "__main__":
    main()
