"""Extraction at scale: a Spark job that writes each article's record to Parquet tables
(`onrecord spark`, spark/job.py), and `onrecord load`, which merges those tables into a store
(spark/load.py). Importing this package imports neither PySpark nor the store."""
