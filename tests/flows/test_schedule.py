"""The schedule `actioned serve` runs and the one prefect.yaml deploys are the same, and every entrypoint is a flow."""

import importlib
from pathlib import Path

import yaml

from flows.cli.remind import SCHEDULE_CRON, SCHEDULE_TIMEZONE, daily_deployment

ROOT = Path(__file__).resolve().parents[2]


def deployments() -> dict[str, dict[str, object]]:
    config = yaml.safe_load((ROOT / "prefect.yaml").read_text())
    return {d["name"]: d for d in config["deployments"]}


def test_serve_runs_the_daily_cycle_on_weekdays_at_eight_london_time():
    deployment = daily_deployment()
    (schedule,) = deployment.schedules
    assert schedule.schedule.cron == "0 8 * * 1-5"
    assert schedule.schedule.timezone == "Europe/London"


def test_prefect_yaml_declares_the_same_schedule():
    schedules = deployments()["daily-cycle"]["schedules"]
    assert schedules == [{"cron": SCHEDULE_CRON, "timezone": SCHEDULE_TIMEZONE}]


def test_every_deployment_entrypoint_is_a_flow():
    from prefect import Flow

    for name, deployment in deployments().items():
        path, function = str(deployment["entrypoint"]).split(":")
        module = importlib.import_module(path.removesuffix(".py").replace("/", "."))
        assert isinstance(getattr(module, function), Flow), name


def test_the_daily_cycle_cannot_overlap_itself_in_either_declaration():
    limit = deployments()["daily-cycle"]["concurrency_limit"]
    assert limit == {"limit": 1, "collision_strategy": "ENQUEUE"}
    config = daily_deployment().concurrency_options
    assert daily_deployment().concurrency_limit == 1
    assert config is not None
    assert config.collision_strategy == "ENQUEUE"


def test_the_mid_morning_check_is_scheduled_in_both_declarations():
    from flows.check_cycle import CHECK_CRON
    from flows.cli.remind import check_deployment

    assert deployments()["check-daily-cycle"]["schedules"] == [{"cron": CHECK_CRON, "timezone": SCHEDULE_TIMEZONE}]
    (schedule,) = check_deployment().schedules
    assert schedule.schedule.cron == CHECK_CRON
