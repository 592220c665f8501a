from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "zhifa.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self) -> None:
        # every app's jobs live in its tasks.py (design.md, the seams): import them all so that a worker
        # and a web process know the same names
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("tasks")
        import zhifa.jobs.exports  # noqa: F401 - large list exports become jobs
        import zhifa.jobs.services  # noqa: F401 - tells the broker what its messages run
