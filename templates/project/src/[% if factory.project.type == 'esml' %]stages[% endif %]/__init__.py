"""The MLOps stages: prepare, train, evaluate, register, score.

One flow, two engines: the same modules run as Azure Machine Learning command components
(mlops/azureml/) and as Databricks job tasks (mlops/databricks/). Each stage reads and writes plain
folders, so it runs the same on a laptop, in an Azure ML job and in a Databricks job.
"""
