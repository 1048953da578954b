"""Writes the Parquet files of test/lakes/spark-parquet.test.ts with pyspark in local mode.

Usage: python spark_write_parquet.py <out-dir> <rows>

One Spark session writes every variant, each into <out-dir>/<name>/ as a single part file
(coalesce(1)), and prints one line per variant: "<name>\t<path of the part file>".
The variants differ in Spark's timestamp encoding (spark.sql.parquet.outputTimestampType),
compression codec and page format; each has several row groups (a small parquet.block.size)
and a string column whose dictionary overflows (a small parquet.dictionary.page.size), so
the writer falls back to plain pages in the middle of a column chunk.
"""
import glob
import os
import sys

from pyspark.sql import SparkSession
from pyspark.sql import functions as F

out_dir, rows = sys.argv[1], int(sys.argv[2])

spark = (
    SparkSession.builder.master('local[1]')
    .appName('featurestack-spark-parquet')
    .config('spark.ui.enabled', 'false')
    .config('spark.ui.showConsoleProgress', 'false')
    .config('spark.driver.extraJavaOptions', '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC')
    .config('spark.driver.memory', '512m')
    .config('spark.sql.shuffle.partitions', '1')
    .config('spark.sql.session.timeZone', 'UTC')
    .config('spark.sql.parquet.int96RebaseModeInWrite', 'CORRECTED')
    .config('spark.sql.parquet.datetimeRebaseModeInWrite', 'CORRECTED')
    .getOrCreate()
)
spark.sparkContext.setLogLevel('ERROR')

i = F.col('id')
# 1950-01-01 .. about 2020, with sub-millisecond parts; before 1970 for negative epoch values.
micros = F.lit(-631152000000000) + i * F.lit(111111111111) + (i % 1000) * 7
df = spark.range(rows).select(
    i.alias('id'),
    F.when(i % 13 == 0, None).otherwise((i * 7919 % 200003) - 100000).cast('int').alias('small'),
    F.when(i % 17 == 0, None).otherwise(i * i * 31 - 5_000_000_000).cast('long').alias('big'),
    F.when(i % 11 == 0, None).otherwise(i / 7.0 - 300.25).cast('double').alias('score'),
    F.when(i % 19 == 0, None).otherwise(i / 3.0 + 0.1).cast('float').alias('ratio'),
    F.when(i % 5 == 0, None).otherwise(i % 3 == 0).alias('flag'),
    F.when(i % 23 == 0, None).otherwise(F.concat(F.lit('region-'), (i % 7).cast('string'))).alias('few'),
    F.when(i % 29 == 0, None).otherwise(F.concat(F.lit('name-'), F.sha2(i.cast('string'), 256).substr(1, 16), F.lit('-'), i.cast('string'))).alias('many'),
    # Few values in the first half of every 600 rows, each one new in the second half: a row
    # group's chunk starts with dictionary pages and goes on in plain ones once the dictionary is full.
    F.when(i % 41 == 0, None).otherwise(
        F.when(F.floor(i / 300) % 2 == 0, F.concat(F.lit('common-'), (i % 3).cast('string'))).otherwise(F.concat(F.lit('unique-value-'), i.cast('string'), F.lit('-'), F.md5(i.cast('string'))))
    ).alias('mixed'),
    F.when(i % 7 == 0, None).otherwise(F.timestamp_micros(micros)).alias('at'),
    F.when(i % 9 == 0, None).otherwise(F.timestamp_micros(micros + 3_600_000_000).cast('timestamp_ntz')).alias('local_at'),
    F.when(i % 31 == 0, None).otherwise(F.date_add(F.lit('1960-01-01').cast('date'), (i % 30000).cast('int'))).alias('day'),
    F.when(i % 37 == 0, None).otherwise(
        F.when(i % 4 == 0, F.array()).otherwise(F.array((i % 100).cast('int'), F.when(i % 3 == 0, None).otherwise((i * 2).cast('int'))))
    ).alias('tags'),
).cache()
df.count()

VARIANTS = [
    # name, outputTimestampType, compression, extra writer options
    ('int96-snappy', 'INT96', 'snappy', {}),
    ('micros-snappy', 'TIMESTAMP_MICROS', 'snappy', {}),
    ('millis-snappy', 'TIMESTAMP_MILLIS', 'snappy', {}),
    ('int96-zstd', 'INT96', 'zstd', {}),
    ('micros-gzip', 'TIMESTAMP_MICROS', 'gzip', {}),
    ('millis-uncompressed', 'TIMESTAMP_MILLIS', 'none', {}),
    ('micros-snappy-v2', 'TIMESTAMP_MICROS', 'snappy', {'parquet.writer.version': 'PARQUET_2_0'}),
]

for name, ts_type, codec, extra in VARIANTS:
    spark.conf.set('spark.sql.parquet.outputTimestampType', ts_type)
    target = os.path.join(out_dir, name)
    writer = (
        df.coalesce(1).write.mode('overwrite')
        .option('compression', codec)
        .option('parquet.block.size', 64 * 1024)
        .option('parquet.page.size', 8 * 1024)
        .option('parquet.page.row.count.limit', 100)
        .option('parquet.dictionary.page.size', 1024)
        .option('parquet.page.size.row.check.min', 50)
        .option('parquet.page.size.row.check.max', 500)
        .option('parquet.block.size.row.check.min', 50)
        .option('parquet.block.size.row.check.max', 500)
    )
    for k, v in extra.items():
        writer = writer.option(k, v)
    writer.parquet(target)
    parts = sorted(glob.glob(os.path.join(target, 'part-*.parquet')))
    if len(parts) != 1:
        raise SystemExit(f'{name}: expected one part file, found {parts}')
    print(f'{name}\t{parts[0]}', flush=True)

spark.stop()
