"""The `publisher` command. Exit codes: 0 all well, 1 findings block,
2 unusable input (or a target that failed)."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from publisher import limits, render
from publisher.catalog.store import CatalogStore
from publisher.cluster import passes_for
from publisher.conformance.cli import conformance_app
from publisher.console import emit_json as _emit_json
from publisher.console import err, out
from publisher.console import fail as _fail
from publisher.console import guard as _guard
from publisher.errors import EXIT_BLOCKED, EXIT_OK, EXIT_UNUSABLE, PublisherError
from publisher.package.loader import load_package
from publisher.pipeline.journal import RUN_REPORT
from publisher.pipeline.run import STAGES, RunResult, run_many
from publisher.pipeline.saved import publish_saved
from publisher.pipeline.staging import STAGING, run_dir
from publisher.progress_display import Display
from publisher.reference.cli import policy_app, rules_command, steps_command
from publisher.report import Report
from publisher.resources import policy_path
from publisher.rules.policy import check_package, load_policy
from publisher.settings import Settings, load_settings
from publisher.validate import validate_package

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Validate, anonymise and publish municipal open data packages.")
catalog_app = typer.Typer(no_args_is_help=True, help="The embedded local catalogue.")
app.add_typer(catalog_app, name="catalog")
handover_app = typer.Typer(help="Hand the published datasets over in a checksummed bundle "
                                "(`handover --out DIR`), and verify one (`handover verify`).")
app.add_typer(handover_app, name="handover")
app.add_typer(conformance_app, name="conformance")
app.add_typer(policy_app, name="policy")
app.command("steps")(steps_command)
app.command("rules")(rules_command)

JsonOpt = Annotated[bool, typer.Option("--json", help="Print machine-readable JSON.")]
HomeOpt = Annotated[Path | None, typer.Option("--home", help="Publisher home (catalogue, runs).")]
DebugOpt = Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")]
ClusterOpt = Annotated[str | None, typer.Option(
    "--cluster", help="Dask scheduler (tcp://host:8786) whose workers run the identifier scan, "
                      "the counting rules and grid-aggregate's counts; default: the setting "
                      "cluster (PUBLISHER_CLUSTER), else this process.")]
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Show no progress (it is shown on stderr when that is a terminal).")]


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        from publisher import __version__

        try:
            installed = version("publisher")
        except PackageNotFoundError:
            installed = __version__
        try:
            version("publisher-kernels")
            engine = "compiled extension"
        except PackageNotFoundError:
            engine = "pure engine (no compiled extension)"
        out.print(f"publisher {installed} ({engine})", highlight=False)
        raise typer.Exit(EXIT_OK)


@app.callback()
def _main(version: Annotated[bool, typer.Option(
        "--version", callback=_version, is_eager=True,
        help="Print the version and exit.")] = False) -> None:
    """Validate, anonymise and publish municipal open data packages."""


def _finish_report(rep: Report, as_json: bool) -> None:
    if as_json:
        _emit_json(rep.to_dict())
    else:
        render.report(out, rep)
    raise typer.Exit(EXIT_OK if rep.valid else EXIT_BLOCKED)


def _display(quiet: bool, as_json: bool) -> Display:
    """Progress on stderr: only on a terminal, and not with --quiet or --json."""
    shown = not (quiet or as_json) and err.is_terminal and not err.is_dumb_terminal
    return Display(err, enabled=shown)


@contextmanager
def _workdir(path: str, remote: bool = False) -> Iterator[Path | None]:
    """Where a zip or remote package is unpacked (raw data): a private staging
    directory under the home, removed by the next run if this one is killed.
    A package read where it lies needs none (and no home is made for it)."""
    if not (remote or path.lower().endswith(".zip") or "://" in path):
        yield None
        return
    with run_dir(load_settings().home / STAGING) as work:
        yield work.path


@contextmanager
def _limits() -> Iterator[None]:
    """The settings' limits on input (publisher.limits) in force for a command."""
    with limits.applied(load_settings().limits()):
        yield


RemoteOpt = Annotated[bool | None, typer.Option(
    "--allow-remote/--no-allow-remote",
    help="Allow resources at remote URLs (from the hosts in remote_hosts); default: the "
         "allow_remote setting.")]


def _remote(allow_remote: bool | None) -> tuple[bool, list[str]]:
    """Whether remote resources are allowed (the flag, else the setting), and their hosts."""
    settings = load_settings()
    allowed = settings.allow_remote if allow_remote is None else allow_remote
    return allowed, (settings.remote_hosts if allowed else [])


@app.command()
def validate(path: Annotated[str, typer.Argument(help="Package dir, descriptor or zip.")],
             as_json: JsonOpt = False, allow_remote: RemoteOpt = None,
             quiet: QuietOpt = False, debug: DebugOpt = False,
             cluster: ClusterOpt = None) -> None:
    """Validate a data package: descriptor, Table Schema and geometry."""
    with _guard(as_json, debug):
        remote, hosts = _remote(allow_remote)
        elsewhere = passes_for(load_settings(cluster=cluster).cluster)
    with _guard(as_json, debug), _limits(), _workdir(path, remote) as tmp, \
            _display(quiet, as_json) as progress:
        rep = validate_package(load_package(path, allow_remote=remote, workdir=tmp,
                                            remote_hosts=hosts), progress=progress,
                               ranges=elsewhere.validate_ranges,
                               sets=elsewhere.validate_set)
    _finish_report(rep, as_json)


@app.command()
def check(path: Annotated[str, typer.Argument(help="Package dir, descriptor or zip.")],
          policy: Annotated[str, typer.Option("--policy", help="Policy file or shipped name.")],
          as_json: JsonOpt = False, debug: DebugOpt = False,
          html: Annotated[Path | None, typer.Option(
              "--html", help="Also write the report as a self-contained HTML page.")] = None,
          quiet: QuietOpt = False, cluster: ClusterOpt = None,
          allow_remote: RemoteOpt = None) -> None:
    """Check a data package against a privacy and licence policy."""
    with _guard(as_json, debug):
        remote, hosts = _remote(allow_remote)
    with _guard(as_json, debug), _limits(), _workdir(path, remote) as tmp, \
            _display(quiet, as_json) as progress:
        pol = load_policy(str(policy_path(policy, Path.cwd())))
        rep = check_package(pol, load_package(path, allow_remote=remote, workdir=tmp,
                                              remote_hosts=hosts),
                            stage="check", progress=progress,
                            passes=passes_for(load_settings(cluster=cluster).cluster))
        if html is not None:
            from publisher.reporting import write_html

            write_html(rep, html)
    _finish_report(rep, as_json)


@app.command()
def init(paths: Annotated[list[Path], typer.Argument(
             help="Raw files or folders: CSV, xlsx, ods, Shapefile (its parts, a folder or a "
                  ".zip), GeoPackage, GeoJSON, GeoParquet, FlatGeobuf.")],
         out_dir: Annotated[Path, typer.Option(
             "--out", help="Directory for the package (data/, datapackage.json) and "
                           "pipeline.yaml.")],
         license_id: Annotated[str | None, typer.Option(
             "--license", help="Licence id, e.g. dl-by-de/2.0 (else a placeholder).")] = None,
         publisher: Annotated[str | None, typer.Option(
             "--publisher", help="Publishing body (else a placeholder).")] = None,
         policy: Annotated[str, typer.Option(
             "--policy", help="Policy file or shipped name.")] = "de-open-data",
         force: Annotated[bool, typer.Option(
             "--force", help="Replace the package files in an existing --out.")] = False,
         as_json: JsonOpt = False, debug: DebugOpt = False) -> None:
    """Describe raw files as a data package, check it, and write a pipeline for it."""
    from publisher.init import init_package
    from publisher.init.text import init_lines

    with _guard(as_json, debug), _limits():
        result = init_package(paths, out_dir, licence=license_id, publisher=publisher,
                              policy=policy, force=force)
    if as_json:
        _emit_json({"ok": True, **result.to_dict()})
        return
    for line in init_lines(result):
        out.print(line, highlight=False, markup=False)


@app.command()
def run(pipelines: Annotated[list[Path], typer.Argument(help="Pipeline YAML files.")],
        as_json: JsonOpt = False, home: HomeOpt = None, debug: DebugOpt = False,
        quiet: QuietOpt = False, cluster: ClusterOpt = None) -> None:
    """Run pipelines end to end; one failing never stops the others."""
    _run_pipelines(pipelines, as_json, home, debug, plan_only=False, quiet=quiet,
                   cluster=cluster)


@app.command()
def publish(plans: Annotated[list[str], typer.Argument(
                help="Saved plans: the run reports `publisher plan` wrote (run-report.json, "
                     "its directory, or its run id).")],
            as_json: JsonOpt = False, home: HomeOpt = None, debug: DebugOpt = False,
            quiet: QuietOpt = False) -> None:
    """Apply saved plans: run each plan's pipeline again and publish exactly what
    `publisher plan` showed; a plan that is out of date (the data, the pipeline
    or the target changed since) is refused. One failing never stops the others."""
    _run_pipelines([Path(p) for p in plans], as_json, home, debug, plan_only=False,
                   quiet=quiet, saved=True)


@app.command()
def plan(pipelines: Annotated[list[Path], typer.Argument(help="Pipeline YAML files.")],
         as_json: JsonOpt = False, home: HomeOpt = None, debug: DebugOpt = False,
         quiet: QuietOpt = False) -> None:
    """Show, field by field and resource by resource, what publishing would change
    on a target that can tell (CKAN), without changing anything; `publisher publish`
    with the run report applies it."""
    _run_pipelines(pipelines, as_json, home, debug, plan_only=True, quiet=quiet)


def _run_pipelines(pipelines: list[Path], as_json: bool, home: Path | None, debug: bool,
                   *, plan_only: bool, quiet: bool, saved: bool = False,
                   cluster: str | None = None) -> None:
    settings = _settings(home, as_json, debug, cluster)
    with _display(quiet, as_json) as progress:
        lines = {str(p): progress.line(escape(p.stem), len(STAGES), "stages") for p in pipelines}

        def on_stage(path: str, stage: str) -> None:
            progress.idle()
            progress.update(lines[path], f"{Path(path).stem}: {stage}", STAGES.index(stage))

        if saved:
            results = publish_saved([str(p) for p in pipelines], settings, on_stage,
                                    progress=progress)
        else:
            results = run_many(pipelines, settings, on_stage, plan_only=plan_only,
                               progress=progress)
    if debug:
        for r in results:
            if r.exception is not None:
                raise r.exception
    if as_json:
        _emit_json({"ok": all(r.exit_code == 0 for r in results),
                    "runs": [r.to_dict() for r in results]})
    else:
        _print_runs(results)
    raise typer.Exit(max((r.exit_code for r in results), default=EXIT_OK))


def _print_runs(results: list[RunResult]) -> None:
    render.runs(out, results)
    for r in results:
        if r.plan is not None:
            _print_plan(r.pipeline, r.plan)
    for r in results:
        if r.exit_code and "\n" in r.message:
            out.print(f"[bold]{escape(r.pipeline)}[/] {r.status}: {escape(r.message)}",
                      highlight=False)
        # a run stopped by warnings it does not accept lists them in its message
        stopped = bool(r.acceptance and r.acceptance.blocks and r.exit_code)
        render.warnings(out, r, accepted_only=stopped)
        render.steps(out, r)
        if r.publish and r.publish.changed:
            out.print(f"[bold]{escape(r.pipeline)}[/]: files in "
                      f"{escape(str(r.publish.location))}", highlight=False)
        if r.run_dir:
            out.print(f"[dim]{escape(r.pipeline)}: run report "
                      f"{escape(r.run_dir)}/{RUN_REPORT}[/]", highlight=False)


def _print_plan(pipeline: str, plan: dict[str, Any]) -> None:
    out.print(f"[bold]{escape(pipeline)}[/] → {escape(str(plan['dataset']))}: "
              f"{escape(str(plan['summary']))}", highlight=False)
    for change in plan["fields"]:
        out.print(f"  field {change['field']}: {_short(change['old'])} → {_short(change['new'])}",
                  highlight=False, markup=False)
    for res in plan["resources"]:
        if res["action"] != "keep":
            fields = ", ".join(c["field"] for c in res["changes"])
            out.print(f"  resource {res['key']}: {res['action']}"
                      + (f" ({fields})" if fields else ""), highlight=False, markup=False)


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False) if value is not None else "(empty)"
    return text if len(text) <= limit else text[:limit - 1] + "…"


@catalog_app.command("list")
def catalog_list(as_json: JsonOpt = False, home: HomeOpt = None) -> None:
    """List the datasets of the local catalogue with their version and files."""
    settings = _settings(home, as_json, False)
    with _guard(as_json, False):
        records = CatalogStore(settings.catalog_dir).datasets()
    if as_json:
        _emit_json({"catalog": str(settings.catalog_dir),
                    "datasets": [r.to_dict() for r in records]})
    else:
        render.catalog(out, settings.catalog_dir, records)


@app.command()
def serve(host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
          home: HomeOpt = None,
          public_url: Annotated[str | None, typer.Option(
              help="Public base URL (dataset URIs, DCAT links).")] = None,
          new_token: Annotated[bool, typer.Option(
              "--new-token", help="Print a new steward token and its hash, then exit.")] = False,
          ) -> None:
    """Serve the data API, the DCAT catalogue and the steward endpoints."""
    from publisher.api.auth import new_token as make_token

    if new_token:
        token, digest = make_token()
        out.print(f"token: {token}\nPUBLISHER_STEWARD_TOKEN_HASH={digest}", highlight=False,
                  markup=False)
        return
    import uvicorn

    from publisher.api.app import create_app

    with _guard(False, False):
        settings = load_settings(home=home, public_url=public_url)
    if settings.public_url == Settings.model_fields["public_url"].default:
        settings.public_url = f"http://{host}:{port}"
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")


@app.command()
def harvest(source: Annotated[str, typer.Argument(
                help="ckan:URL, dcat:URL-or-file, or a bare URL / file.")],
            into: Annotated[str, typer.Option(
                "--into", help="local, local:DIR or ckan:ORGANISATION.")] = "local",
            prefix: Annotated[str, typer.Option(help="Prefix for names in the target.")] = "",
            full: Annotated[bool, typer.Option(
                "--full", help="Read the whole source, not only changes.")] = False,
            ckan_url: Annotated[str | None, typer.Option(
                envvar="PUBLISHER_CKAN_URL", help="CKAN address for a ckan: target.")] = None,
            ckan_key: Annotated[str | None, typer.Option(
                envvar="PUBLISHER_CKAN_API_KEY", help="CKAN API token for a ckan: target.",
                show_default=False)] = None,
            max_pages: Annotated[int | None, typer.Option(
                "--max-pages", min=1, help="Pages of a paged DCAT catalogue to follow at most "
                                           "(default: the harvest_max_pages setting).")] = None,
            strict: Annotated[bool, typer.Option(
                "--strict", help="Fail (exit 1) on any loss: a value dropped, a record "
                                 "skipped, a page not read; a record that would lose a value "
                                 "is not written.")] = False,
            as_json: JsonOpt = False, home: HomeOpt = None, debug: DebugOpt = False) -> None:
    """Harvest a city catalogue (CKAN API or DCAT) into the local catalogue or a CKAN:
    incremental, with deletions; bad records are reported and skipped. The report
    says, per dataset and distribution, what was kept, changed and dropped."""
    from publisher.harvest.command import run_harvest
    from publisher.harvest.text import report_lines

    settings = _settings(home, as_json, debug)
    with _guard(as_json, debug):
        report = run_harvest(source, into, settings, prefix=prefix, full=full,
                             ckan_url=ckan_url, ckan_key=ckan_key, max_pages=max_pages,
                             strict=strict)
    losses = report.losses()
    failed = strict and bool(losses)
    if as_json:
        _emit_json({"ok": not failed, **report.to_dict(), "losses": losses})
    else:
        for line in report_lines(report):
            out.print(escape(line), highlight=False)
        if failed:
            err.print(f"[bold red]error:[/] the harvest lost {len(losses)} thing(s) of the "
                      "source (--strict); the first: " + escape(losses[0]), highlight=False)
    if failed:
        raise typer.Exit(EXIT_BLOCKED)


@handover_app.callback(invoke_without_command=True)
def handover(ctx: typer.Context,
             out_dir: Annotated[str | None, typer.Option(
                 "--out", help="Directory, or s3://BUCKET/PREFIX, to write the bundle to.")
             ] = None,
             latest_only: Annotated[bool, typer.Option(
                 "--latest-only", help="Only the latest version of each dataset.")] = False,
             include_private: Annotated[bool, typer.Option(
                 "--include-private", help="Also datasets that are not public.")] = False,
             base_url: Annotated[str | None, typer.Option(
                 help="Base URL for dataset URIs and links in the DCAT files "
                      "(default: the public URL setting).")] = None,
             force: Annotated[bool, typer.Option(
                 "--force", help="Replace what is at the destination.")] = False,
             as_json: JsonOpt = False, home: HomeOpt = None, debug: DebugOpt = False) -> None:
    """Bundle every published dataset (data, descriptor, DCAT metadata, audit record,
    run history) with a manifest of checksums, for a Land office to take over."""
    if ctx.invoked_subcommand is not None:
        if out_dir is not None:
            _fail(PublisherError("--out writes a bundle; `handover verify` reads one: "
                                 "give one of them"), as_json)
        return
    if out_dir is None:
        _fail(PublisherError("say where the bundle goes: --out DIR or --out s3://BUCKET/PREFIX",
                             hint="`publisher handover verify BUNDLE` checks a bundle"), as_json)
    from publisher.handover import write_handover
    from publisher.handover.text import handover_lines

    settings = _settings(home, as_json, debug)
    with _guard(as_json, debug):
        result = write_handover(str(out_dir), settings, all_versions=not latest_only,
                                include_private=include_private, base_url=base_url, force=force)
    if as_json:
        _emit_json(result.to_dict())
        return
    for line in handover_lines(result):
        out.print(line, highlight=False, markup=False)


@handover_app.command("verify")
def handover_verify(
        bundle: Annotated[str, typer.Argument(help="Bundle directory or s3://BUCKET/PREFIX.")],
        shacl: Annotated[bool, typer.Option(
            "--shacl", help="Also check the catalogue against DCAT-AP.de 3.0: the official "
                            "shapes when fetched, else the project's own checks.")] = False,
        expect: Annotated[str | None, typer.Option(
            "--expect", help="The manifest SHA-256 the sender gave you.")] = None,
        as_json: JsonOpt = False, debug: DebugOpt = False) -> None:
    """Verify a handover bundle: checksums, missing, extra and altered files, descriptors,
    DCAT files. Exit 0 intact, 1 something is wrong, 2 the bundle cannot be read."""
    from publisher.handover import verify_bundle
    from publisher.handover.text import verify_lines

    settings = _settings(None, as_json, debug)
    with _guard(as_json, debug):
        result = verify_bundle(bundle, settings, shacl=shacl, expect=expect)
    if as_json:
        _emit_json(result.to_dict())
    else:
        for line in verify_lines(result):
            (out if result.ok else err).print(line, highlight=False, markup=False)
    raise typer.Exit(EXIT_OK if result.ok else EXIT_BLOCKED)


def _settings(home: Path | None, as_json: bool, debug: bool,
              cluster: str | None = None) -> Settings:
    with _guard(as_json, debug):
        return load_settings(home=home, cluster=cluster)
    raise AssertionError("unreachable")


def main() -> None:
    try:
        app()
    except PublisherError as exc:  # pragma: no cover - the guard catches these first
        err.print(f"error: {exc}")
        sys.exit(EXIT_UNUSABLE)


if __name__ == "__main__":
    main()
