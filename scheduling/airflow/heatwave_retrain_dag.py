"""heatwave: nightly retraining as an Airflow DAG (Airflow 2.x with apache-airflow-providers-apache-spark).

The task submits heatwave's application jar to the cluster with SparkSubmitOperator in client deploy mode, so the
exit code of `heatwave retrain` is spark-submit's:
  0  decided (promoted, kept or unchanged): the task succeeds; the decision is the last line of the log (JSON)
  75 the registry is locked by a live run, or the data changed while they were read: retried (Airflow retries)
  65 the data were refused by the data checks: failed at once, no retry (someone must look at the data)
  78 a bad configuration, 1 anything else: failed at once
The registry's champion afterwards is pushed to XCom by the `champion` task (`bin/heatwave registry list --json`)
for a deployment task to pick up. Copy this file into the DAGs folder and set the Airflow Variables
heatwave_home, heatwave_registry and heatwave_incoming (and the spark_default connection).
"""
from datetime import datetime, timedelta

from airflow import DAG
from airflow.exceptions import AirflowException, AirflowFailException
from airflow.models import Variable
from airflow.operators.bash import BashOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

HOME = Variable.get("heatwave_home", default_var="/opt/heatwave")
REGISTRY = Variable.get("heatwave_registry", default_var="hdfs:///models/fashion-mnist")
INCOMING = Variable.get("heatwave_incoming", default_var="hdfs:///incoming/fashion-mnist")
TEMPORARY_FAILURE = 75  # EX_TEMPFAIL: worth retrying


class HeatwaveRetrainOperator(SparkSubmitOperator):
    """SparkSubmitOperator that retries only heatwave's temporary failures (exit code 75)."""

    def execute(self, context):
        try:
            return super().execute(context)
        except AirflowException as e:
            # SparkSubmitHook: "Cannot execute: <command>. Error code is: <code>."
            if f"Error code is: {TEMPORARY_FAILURE}." in str(e):
                raise  # a plain AirflowException: the task's retries apply
            raise AirflowFailException(f"heatwave retrain failed without retry: {e}") from e


with DAG(
    dag_id="heatwave_nightly_retraining",
    start_date=datetime(2026, 12, 1),
    schedule="30 2 * * *",
    catchup=False,
    max_active_runs=1,
    default_args={"owner": "ml-ops", "retries": 3, "retry_delay": timedelta(minutes=10)},
    tags=["heatwave", "retraining"],
) as dag:
    retrain = HeatwaveRetrainOperator(
        task_id="retrain",
        conn_id="spark_default",
        deploy_mode="client",
        application=f"{HOME}/pipeline/target/heatwave-pipeline-0.1.0-SNAPSHOT-app.jar",
        java_class="org.heatwave.pipeline.cli.Main",
        application_args=[
            "retrain",
            "--registry", REGISTRY,
            "--config", f"{HOME}/conf/retrain-fashion-mnist.conf",
            "--set", f"data.path={INCOMING}",
        ],
        # the Vector API for the driver's kernels (Spark 4.1 starts its executors with it already); spark-submit
        # applies this to the driver JVM it launches in client mode
        conf={"spark.driver.extraJavaOptions": "--add-modules=jdk.incubator.vector"},
        execution_timeout=timedelta(hours=6),
    )

    champion = BashOperator(
        task_id="champion",
        bash_command=f"{HOME}/bin/heatwave registry list --registry {REGISTRY} --json",
        do_xcom_push=True,  # the last line: {"registry", "champion", "versions", "decisions"}
    )

    retrain >> champion
