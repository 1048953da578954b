"""
Feast's own client asking featurestack's feature server for documents: a Feast
repository whose online store is `remote` (our server), with the doc_chunks view and
its vector field, and one call of FeatureStore.retrieve_online_documents_v2.
Reads one JSON request on stdin, writes one JSON answer on stdout.

Request: {"repo": folder, "project", "server": "http://127.0.0.1:<port>",
          "features": ["doc_chunks:title", ...], "query": [numbers], "top_k": n,
          "filters": Feast filter JSON or null}
Answer:  the response's to_dict(): {column: [values]} (values as Feast decodes them)
"""
import json
import os
import sys
from datetime import timedelta

import pandas as pd


def main():
    req = json.loads(sys.stdin.read())
    repo = req["repo"]
    os.makedirs(os.path.join(repo, "data"), exist_ok=True)
    with open(os.path.join(repo, "feature_store.yaml"), "w") as f:
        f.write(
            f"project: {req['project']}\n"
            "provider: local\n"
            f"registry: {os.path.join(repo, 'data', 'registry.db')}\n"
            f"online_store:\n  type: remote\n  path: \"{req['server']}\"\n"
            "offline_store:\n  type: dask\n"
            "entity_key_serialization_version: 3\n"
        )
    parquet = os.path.join(repo, "data", "doc_chunks.parquet")
    pd.DataFrame(
        {"chunk_id": ["x"], "event_timestamp": [pd.Timestamp("2024-01-01", tz="UTC")], "embedding": [[0.0, 0.0, 0.0, 1.0]],
         "title": ["x"], "lang": ["en"], "year": [2024], "score": [1.0]}
    ).to_parquet(parquet)

    from feast import Entity, FeatureStore, FeatureView, Field, FileSource, ValueType
    from feast.filter_models import ComparisonFilter, CompoundFilter
    from feast.types import Array, Float32, Float64, Int64, String

    chunk = Entity(name="chunk", join_keys=["chunk_id"], value_type=ValueType.STRING)
    view = FeatureView(
        name="doc_chunks",
        entities=[chunk],
        ttl=timedelta(0),
        schema=[
            Field(name="embedding", dtype=Array(Float32), vector_index=True, vector_length=4, vector_search_metric="COSINE"),
            Field(name="title", dtype=String),
            Field(name="lang", dtype=String),
            Field(name="year", dtype=Int64),
            Field(name="score", dtype=Float64),
        ],
        source=FileSource(name="doc_chunks_source", path=parquet, timestamp_field="event_timestamp"),
        online=True,
    )
    store = FeatureStore(repo_path=repo)
    store.apply([chunk, view])
    filters = req.get("filters")
    if filters is not None:
        filters = (CompoundFilter if filters["type"] in ("and", "or") else ComparisonFilter).model_validate(filters)
    response = store.retrieve_online_documents_v2(features=req["features"], query=req["query"], top_k=req["top_k"], filters=filters)
    out = {k: [v.item() if hasattr(v, "item") else v for v in vs] for k, vs in response.to_dict().items()}
    json.dump(out, sys.stdout, default=str)


main()
