"""Renderings of plans for the terminal: IP plan, run summary, one project's view.

Address ranges, subscription ids, principals and DNS zones sit in :func:`keep` columns, so no
terminal width cuts them (see :class:`~aifactory.cli.console.Listing`); every configuration value
is printed as text, never as markup.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.markup import escape

from aifactory.cli.console import keep, lines, table
from aifactory.offline.report import summarize, workloads
from aifactory.offline.stack_run import StackPlan
from aifactory.plan.factory import FactoryPlan
from aifactory.plan.ipam import PlannedSubnet, PlannedVnet
from aifactory.plan.public_access import opened_services

__all__ = ["render_ipam", "render_project", "render_public_exceptions", "render_summary"]


def render_ipam(plan: FactoryPlan, out: Console) -> None:
    """VNets, common subnets and every project's ranges."""
    ip_plan = plan.ip_plan
    used = len(ip_plan.projects)
    out.print(
        f"[bold]{plan.environment}[/]: address space {escape(', '.join(ip_plan.address_space))}, "
        f"{ip_plan.capacity} project slots of /{ip_plan.slot_prefix} ({ip_plan.slots_per_shard} per project VNet "
        f"of /{ip_plan.shard_prefix}), {used} used"
        + (f", agent subnets from {escape(ip_plan.agent_address_space)}" if ip_plan.agent_address_space else "")
    )
    vnets = table("VNets", "vnet", keep("address prefixes"), keep("subscription"), "project ids")
    vnets.add_row(
        _vnet_label(ip_plan.common), lines(ip_plan.common.address_prefixes), ip_plan.common.subscription_id, "-"
    )
    for shard in ip_plan.shards:
        vnets.add_row(
            _vnet_label(shard),
            lines(shard.address_prefixes),
            shard.subscription_id,
            f"{shard.first_project_id}-{shard.last_project_id}",
        )
    out.print(vnets)
    common = table("Common subnets", "subnet", keep("range"), "usable", "delegation", "created")
    for subnet in ip_plan.common_subnets:
        common.add_row(
            subnet.name, subnet.cidr, str(subnet.usable_addresses), subnet.delegation or "-", _created(subnet)
        )
    out.print(common)
    projects = table("Project subnets", "project", "subnet", keep("range"), "delegation", "created")
    for project in plan.projects:
        network = project.network
        slot = f"slot, {network.vnet_key}" + (", pinned" if network.pinned else "")
        projects.add_row(f"{project.spec.id:03d} {project.spec.name}", slot, network.slot, "", "")
        for index, subnet in enumerate(network.subnets):
            projects.add_row(
                "",
                subnet.key if subnet.existing_id is None else f"{subnet.key} ({subnet.name})",
                subnet.cidr,
                subnet.delegation or "-",
                _created(subnet),
                end_section=index == len(network.subnets) - 1,
            )
    out.print(projects)


def _vnet_label(vnet: PlannedVnet) -> str:
    return f"{vnet.key} (existing)" if vnet.existing_id is not None else vnet.key


def _created(subnet: PlannedSubnet) -> str:
    """``yes``, ``reserved`` (its service is off) or ``existing`` (brought by the network team)."""
    if subnet.existing_id is not None:
        return "existing"
    return "yes" if subnet.needed else "reserved"


def render_summary(result: StackPlan, out: Console) -> None:
    """Totals, resources by type and by workload, and the run's cost."""
    summary = summarize(result.run)
    projects = sum(len(part.contents.project_ids) for part in result.stacks)
    common = " + common" if any(part.contents.common for part in result.stacks) else ""
    out.print(
        f"[bold]{result.plan.environment}[/] ({escape(result.run.stack)}): {summary.custom} resources "
        f"({summary.protected} protected) in {projects} project{'s' if projects != 1 else ''}{common}; "
        f"planned offline in {result.run.seconds:.1f} s, peak memory {result.run.peak_rss_mib:.0f} MiB"
    )
    by_type = table("Resources by type", "type", "count")
    for type_token, count in sorted(summary.by_type.items(), key=lambda item: (-item[1], item[0])):
        by_type.add_row(type_token, str(count))
    out.print(by_type)
    names = {p.key: f"{p.spec.id:03d} {p.spec.name} ({p.spec.type})" for p in result.plan.projects}
    by_workload = table("Resources by workload", "workload", "count")
    for workload, count in summary.by_workload.items():
        by_workload.add_row(names.get(workload, workload), str(count))
    out.print(by_workload)
    render_public_exceptions(result.plan, out)


def render_public_exceptions(plan: FactoryPlan, out: Console) -> None:
    """Every project whose services accept public callers, and from where: audited in the PR."""
    exceptions = [(p, opened_services(p.spec)) for p in plan.projects if p.spec.network.allow_ips]
    if not exceptions:
        out.print("public exceptions: none (no project opens a service to public callers)")
        return
    found = table("Public exceptions (network.allow_ips)", "project", keep("allowed ranges"), "services opened to them")
    for project, services in exceptions:
        found.add_row(
            f"{project.spec.id:03d} {project.spec.name}", lines(project.spec.network.allow_ips), ", ".join(services)
        )
    out.print(found)


def render_project(result: StackPlan, project_id: int, out: Console) -> None:
    """One project's resources, subnets, private endpoints, role assignments and lake folders."""
    plan = result.plan
    project = plan.project(project_id)
    owners = workloads(result.run)
    mine = [r for r in result.run.resources if r.custom and owners[r.urn] == project.key]
    spec = project.spec
    out.print(
        f"[bold]{spec.id:03d} {spec.name}[/] ({spec.type}) in {plan.environment}: {len(mine)} resources, "
        f"subscription {project.subscription_id}, services: {', '.join(sorted(spec.enabled_services()))}"
    )
    counts = table("Resources", "type", "count")
    for type_token, count in sorted(Counter(r.type for r in mine).items()):
        counts.add_row(type_token, str(count))
    out.print(counts)
    subnets = table("Subnets", "subnet", keep("range"), "delegation", "created")
    for subnet in project.network.subnets:
        subnets.add_row(subnet.name, subnet.cidr, subnet.delegation or "-", _created(subnet))
    out.print(subnets)
    endpoints = table("Private endpoints", "target", "group id", keep("private DNS zones"))
    for planned in project.endpoints:
        for group in planned.group_ids:
            zones = lines(plan.dns.zones_for(planned.kind, group)) if plan.dns.zone_groups else "(policy-managed)"
            endpoints.add_row(planned.target, group, zones)
    out.print(endpoints)
    access = plan.access.projects[project_id]
    roles = table("Role assignments", keep("principal"), "role", "scope", "why")
    for assignment in sorted(access.role_assignments, key=lambda a: (a.principal.key, a.scope.key, a.role.name)):
        role_name = assignment.role.name + (" (conditioned)" if assignment.condition else "")
        roles.add_row(
            assignment.principal.display or assignment.principal.key, role_name, assignment.scope.key, assignment.reason
        )
    out.print(roles)
    folders = table("Lake folders", "folder", keep("access entries"))
    read = [plan.lake.folder(f"master/{source}") for source in spec.datalake.read_sources]
    for folder in (*read, *plan.lake.for_project(project_id)):
        entries = lines(f"{e.principal.display or e.principal.key}:{e.permissions}" for e in folder.access)
        folders.add_row(folder.display, entries or "-")
    out.print(folders)
