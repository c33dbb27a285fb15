"""The datalake layout and its POSIX ACLs, as plain data, plus the ADLS Gen2 access check to prove them.

Layout of the container (``aifactory:datalake.container``, default ``lake``)::

    /                                   traverse group --x, data-ops r-x          (access only)
    master/                             data-ops rwx; traverse group --x          (core team owns master)
    master/<source>/ and below          data-ops rwx, readers of <source> r-x     (in/, out/bronze|silver|gold/)
    shared/                             data-ops rwx, traverse group r-x          (read by every project)
    projects/                           traverse group --x, data-ops r-x          (access only)
    projects/project007/                project r-x, data-ops r-x                 (access only)
    projects/project007/in/             project r-x, data-ops rwx                 (core team publishes)
    projects/project007/out/            writers rwx, readers r-x, data-ops r-x    (project shares back)
    projects/project007/work/           writers rwx, readers r-x                  (private to the project)

Rules that keep it correct at any scale:

- ADLS Gen2 allows 32 entries per ACL (28 named); shared folders (``/``, ``projects/``, ``shared/``)
  never get one entry per project: every project principal is a member of the one *lake traverse
  group*, which gets ``--x`` there. ``other`` gets nothing anywhere.
- Project grants go to persona groups (or to each member when groups are not managed), the
  project's managed identity and its CI identity, named by :class:`PrincipalRef` keys. A
  project's folders depend only on that project and the core team, so adding a project never
  changes another project's ACLs.
- A project that lists ``datalake.read_sources`` reads ``master/<source>/`` (read and execute, never
  write) through its identity and data engineers, and they may write its ``in/``, where its DataOps
  pipeline copies the source. With managed groups the master folders name one *readers of
  <source>* group (the project's readers join it), so their ACLs do not grow per project; without
  them each reader is named on the source's folders (within the 28-entry limit).
- Every data folder carries the same entries as its default ACL, so new files and folders inherit
  them; the traversal folders (root, ``projects/``, a project's root) carry access entries only,
  because only the factory creates children there.
- Owner and owning group are ``$superuser``: no person owns (and can re-permission) a folder;
  ACLs change only through this code, applied by the deploying identity (a super-user).

:func:`allows` evaluates the planned entries the way ADLS Gen2 does (owner, named users with the
mask, any granting group with the mask, other; execute on every parent), so tests prove the access
model as a permission model rather than as a list of entries.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from aifactory.catalog.personas import PROJECT_PERSONAS, ProjectPersona
from aifactory.config.loader import FactoryConfig
from aifactory.config.project import ProjectSpec, project_file
from aifactory.config.stack import StackConfig
from aifactory.errors import ConfigError, ConfigProblem
from aifactory.plan.rbac.model import PrincipalRef
from aifactory.plan.rbac.principals import (
    LAKE_TRAVERSE_KEY,
    core_ref,
    deployment_ref,
    identity_ref,
    lake_reader_ref,
    master_readers,
    persona_grantees,
)

__all__ = [
    "MAX_NAMED_ENTRIES",
    "PERSONA_LAKE_ACCESS",
    "SUPERUSER",
    "Acl",
    "AclEntry",
    "AclScope",
    "Caller",
    "LakeAccess",
    "LakeFolder",
    "LakePlan",
    "Operation",
    "access_check",
    "acl_at",
    "allows",
    "lake_traverse_ref",
    "permissions_at",
    "plan_lake",
    "project_folder",
]

SUPERUSER = "$superuser"
MAX_NAMED_ENTRIES = 28
"""32 entries per access and per default ACL, minus owner, owning group, mask and other."""

AclScope = Literal["access", "default"]
LakeAccess = Literal["write", "read"]
Operation = Literal["traverse", "list", "create", "read", "write", "delete"]

PERSONA_LAKE_ACCESS: Mapping[ProjectPersona, LakeAccess] = MappingProxyType(
    {
        "team-lead": "write",
        "data-scientist": "write",
        "ml-engineer": "write",
        "ai-developer": "write",
        "data-engineer": "write",
        "app-developer": "read",
        "reader": "read",
    }
)
"""What each project persona may do with the project's lake data (apps reach data as the project identity)."""
assert set(PERSONA_LAKE_ACCESS) == set(PROJECT_PERSONAS)

_NONE = "---"
_TRAVERSE = "--x"
_READ = "r-x"
_WRITE = "rwx"
_CREATOR = "$creator"  # the owner of a file someone else created; matches no caller

# Project areas: (writers, readers, core data-ops); None = no entry.
_PROJECT_AREAS: Mapping[str, tuple[str, str, str | None, str]] = MappingProxyType(
    {
        "in": (_READ, _READ, _WRITE, "published to the project by the core team"),
        "out": (_WRITE, _READ, _READ, "written by the project, read by the core team"),
        "work": (_WRITE, _READ, None, "the project's private working area"),
    }
)
_MASTER_OUT_LAYERS = ("bronze", "silver", "gold")


@dataclass(frozen=True, order=True)
class AclEntry:
    """A named ACL entry: a principal (by key) and its ``rwx``-form permissions."""

    principal: PrincipalRef
    permissions: str

    @property
    def tag(self) -> Literal["user", "group"]:
        """The ACE type: groups must be ``group`` entries (a group named as ``user`` grants its members nothing)."""
        return "group" if self.principal.principal_type == "Group" else "user"


@dataclass(frozen=True)
class Acl:
    """One POSIX ACL (the access ACL of a path, or a directory's default ACL) as ADLS Gen2 evaluates it."""

    owner: str
    owner_permissions: str
    group: str
    group_permissions: str
    named: tuple[AclEntry, ...]
    mask: str
    other: str


@dataclass(frozen=True)
class LakeFolder:
    """A directory of the lake with its owner and its access and default entries.

    ``path`` is relative to the container; ``""`` is the container's root directory.
    """

    path: str
    workload: str
    purpose: str
    access: tuple[AclEntry, ...]
    default: tuple[AclEntry, ...] = ()
    owner: str = SUPERUSER
    group: str = SUPERUSER
    owner_permissions: str = _WRITE
    group_permissions: str = _NONE
    other_permissions: str = _NONE

    @property
    def display(self) -> str:
        return f"/{self.path}" if self.path else "/"

    @property
    def name(self) -> str:
        """A stable, unique name fragment for logical names: ``root``, ``master.crm.out.gold``.

        Dots join the path's parts because source names may hold hyphens (``crm-in`` next to ``crm/in``).
        """
        return self.path.replace("/", ".") if self.path else "root"

    @property
    def has_default(self) -> bool:
        return bool(self.default)

    def entries(self, scope: AclScope) -> tuple[AclEntry, ...]:
        return self.access if scope == "access" else self.default

    def mask(self, scope: AclScope) -> str:
        """The mask: the union of the owning group's and every named entry's permissions (as setfacl computes it)."""
        return _union([self.group_permissions, *(e.permissions for e in self.entries(scope))])

    def acl(self, scope: AclScope) -> Acl:
        return Acl(
            owner=self.owner,
            owner_permissions=self.owner_permissions,
            group=self.group,
            group_permissions=self.group_permissions,
            named=self.entries(scope),
            mask=self.mask(scope),
            other=self.other_permissions,
        )

    def principals(self) -> tuple[PrincipalRef, ...]:
        """Every principal named in the folder's access or default entries, once, in key order."""
        return tuple(sorted({e.principal for e in (*self.access, *self.default)}))


@dataclass(frozen=True)
class LakePlan:
    """The lake template of one environment: common folders and each project's folders, parents first."""

    container: str
    common: tuple[LakeFolder, ...]
    projects: Mapping[int, tuple[LakeFolder, ...]]
    _index: Mapping[str, LakeFolder] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {f.path: f for f in self.folders}
        object.__setattr__(self, "_index", MappingProxyType(index))

    @property
    def root(self) -> LakeFolder:
        return self.common[0]

    @property
    def folders(self) -> tuple[LakeFolder, ...]:
        return (*self.common, *(f for folders in self.projects.values() for f in folders))

    def folder(self, path: str) -> LakeFolder:
        """The planned folder at ``path`` (``KeyError`` if it is not part of the template)."""
        return self._index[_normalize(path)]

    def find(self, path: str) -> LakeFolder | None:
        return self._index.get(_normalize(path))

    def for_project(self, project_id: int) -> tuple[LakeFolder, ...]:
        """The project's folders, its root first (empty if the project is not in this environment)."""
        return self.projects.get(project_id, ())


def project_folder(project_id: int) -> str:
    """A project's folder: ``projects/project007`` (the seed's ``project{NNN}`` convention)."""
    return f"projects/project{project_id:03d}"


def lake_traverse_ref(stack: StackConfig) -> PrincipalRef:
    """The lake traverse group: an existing group from config, or the one the identity component creates."""
    return PrincipalRef(
        LAKE_TRAVERSE_KEY, "Group", object_id=stack.identity.lake_traverse_group, display="lake traverse group"
    )


def _data_ops(stack: StackConfig) -> list[PrincipalRef]:
    return [core_ref("data-ops", p.principal, p.kind) for p in stack.core_team.data_ops]


def _entries(grants: Iterable[tuple[PrincipalRef, str]]) -> tuple[AclEntry, ...]:
    """Entries in key order, one per principal identity (object id when known), permissions merged."""
    merged: dict[tuple[str, str], AclEntry] = {}
    for principal, permissions in grants:
        entry = AclEntry(principal, permissions)
        identity = (entry.tag, principal.object_id or principal.key)
        if identity in merged:
            kept = merged[identity]
            entry = AclEntry(kept.principal, _union([kept.permissions, permissions]))
        merged[identity] = entry
    return tuple(sorted(merged.values(), key=lambda e: e.principal.key))


def _source_readers(config: FactoryConfig, source: str) -> list[PrincipalRef]:
    """Who reads ``master/<source>``: its readers group (managed groups), else every project's readers by name."""
    stack = config.stack
    if stack.identity.manage_groups:
        return [lake_reader_ref(source)]
    return [
        ref
        for spec in config.projects
        if source in spec.datalake.read_sources
        for ref in master_readers(stack, spec, stack.environment)
    ]


def _common_folders(config: FactoryConfig) -> tuple[LakeFolder, ...]:
    stack = config.stack
    traverse = lake_traverse_ref(stack)
    data_ops = _data_ops(stack)
    read_ops = [(p, _READ) for p in data_ops]
    master = _entries([*((p, _WRITE) for p in data_ops), (traverse, _TRAVERSE)])  # readers pass through to a source
    folders = [
        LakeFolder("", "common", "container root", _entries([(traverse, _TRAVERSE), *read_ops])),
        LakeFolder("master", "common", "core team's master data, by source system", master, master),
    ]
    for source in stack.datalake.sources:
        base = f"master/{source}"
        paths = [base, f"{base}/in", f"{base}/out", *(f"{base}/out/{layer}" for layer in _MASTER_OUT_LAYERS)]
        entries = _entries([*((p, _WRITE) for p in data_ops), *((r, _READ) for r in _source_readers(config, source))])
        folders.extend(LakeFolder(path, "common", f"master data of {source}", entries, entries) for path in paths)
    shared = _entries([*((p, _WRITE) for p in data_ops), (traverse, _READ)])
    folders.append(LakeFolder("shared", "common", "reference data every project reads", shared, shared))
    folders.append(
        LakeFolder("projects", "common", "one folder per project", _entries([(traverse, _TRAVERSE), *read_ops]))
    )
    return tuple(folders)


def _project_principals(stack: StackConfig, project: ProjectSpec) -> list[tuple[PrincipalRef, LakeAccess]]:
    principals: list[tuple[PrincipalRef, LakeAccess]] = [
        (grantee.principal, PERSONA_LAKE_ACCESS[grantee.persona])
        for grantee in persona_grantees(stack, project, stack.environment)
    ]
    principals.append((identity_ref(project), "write"))
    if project.delivery.github is not None:
        principals.append((deployment_ref(project), "write"))
    return principals


def _project_folders(stack: StackConfig, project: ProjectSpec) -> tuple[LakeFolder, ...]:
    principals = _project_principals(stack, project)
    data_ops = _data_ops(stack)
    copiers = {r.key for r in master_readers(stack, project, stack.environment)}
    base = project_folder(project.id)
    root = _entries([*((p, _READ) for p, _ in principals), *((p, _READ) for p in data_ops)])
    folders = [LakeFolder(base, project.key, f"project {project.id:03d} {project.name}", root)]
    for area, (writers, readers, core, purpose) in _PROJECT_AREAS.items():
        grants = [(p, writers if level == "write" else readers) for p, level in principals]
        if area == "in":  # whoever reads the project's master sources copies them into in/
            grants.extend((p, _WRITE) for p, _ in principals if p.key in copiers)
        if core is not None:
            grants.extend((p, core) for p in data_ops)
        entries = _entries(grants)
        folders.append(LakeFolder(f"{base}/{area}", project.key, purpose, entries, entries))
    return tuple(folders)


def _widest(folders: Iterable[LakeFolder]) -> tuple[LakeFolder, int] | None:
    counted = [(f, max(len(f.access), len(f.default))) for f in folders]
    return max(counted, key=lambda fc: fc[1]) if counted else None


def plan_lake(config: FactoryConfig) -> LakePlan:
    """The lake template for the environment; raises :class:`ConfigError` when an ACL would exceed 28 named entries."""
    stack = config.stack
    problems: list[ConfigProblem] = _source_problems(config)
    common = _common_folders(config)
    widest = _widest(common)
    if widest and widest[1] > MAX_NAMED_ENTRIES:
        folder, count = widest
        problems.append(
            ConfigProblem(
                config.stack_file,
                "aifactory:core_team.data_ops",
                len(stack.core_team.data_ops),
                f"would put {count} named entries on the ACL of {folder.display} in the datalake; ADLS Gen2 allows "
                f"{MAX_NAMED_ENTRIES} named entries per ACL",
                "list the data-ops team as one Entra group (kind: group) instead of individual principals",
            )
        )
    projects: dict[int, tuple[LakeFolder, ...]] = {}
    for spec in config.projects:
        folders = _project_folders(stack, spec)
        projects[spec.id] = folders
        widest = _widest(folders)
        if widest and widest[1] > MAX_NAMED_ENTRIES:
            folder, count = widest
            file = project_file(spec, config.project_files)
            core = len(stack.core_team.data_ops)
            problems.append(
                ConfigProblem(
                    file,
                    "members",
                    len(spec.members_in(stack.environment)),
                    f"in {stack.environment} the project would put {count} named entries ({count - core} project "
                    f"principals, {core} core data-ops) on the ACL of {folder.display}; ADLS Gen2 allows "
                    f"{MAX_NAMED_ENTRIES} named entries per ACL",
                    "set aifactory:identity.manage_groups to true (one entry per persona group), list members as "
                    "Entra groups (kind: group) instead of individual users, or list aifactory:core_team.data_ops as "
                    "one group",
                )
            )
    if problems:
        raise ConfigError(problems)
    return LakePlan(container=stack.datalake.container, common=common, projects=MappingProxyType(projects))


def _source_problems(config: FactoryConfig) -> list[ConfigProblem]:
    """A project reading a master source the stack does not have."""
    sources = config.stack.datalake.sources
    problems = []
    for spec in config.projects:
        for index, source in enumerate(spec.datalake.read_sources):
            if source not in sources:
                problems.append(
                    ConfigProblem(
                        project_file(spec, config.project_files),
                        f"datalake.read_sources[{index}]",
                        source,
                        f"is not a master source of the {config.stack.environment} lake "
                        f"(aifactory:datalake.sources: {', '.join(sources) or 'none'})",
                        f"use one of {', '.join(sources)}"
                        if sources
                        else "ask the core team to add the source to "
                        f"aifactory:datalake.sources in {config.stack_file}, or remove it",
                    )
                )
    return problems


# --- The ADLS Gen2 access check, over planned entries ------------------------------------------------------------


@dataclass(frozen=True)
class Caller:
    """Who asks: a principal key and the keys of every group it belongs to (directly or nested)."""

    key: str
    groups: frozenset[str] = frozenset()
    superuser: bool = False


_BITS = {"r": 4, "w": 2, "x": 1}
_OPERATIONS: Mapping[Operation, tuple[bool, str]] = MappingProxyType(
    {
        # operation: (path is a file, permissions needed on the path itself)
        "traverse": (False, _TRAVERSE),
        "list": (False, _READ),
        "create": (False, "-wx"),
        "read": (True, "r--"),
        "write": (True, "-w-"),
        "delete": (True, "-wx"),  # on the file's parent
    }
)


def _bits(permissions: str) -> int:
    if len(permissions) != 3 or any(c not in f"{b}-" for c, b in zip(permissions, "rwx", strict=True)):
        msg = f"permissions must be rwx-form, e.g. 'r-x', not {permissions!r}"
        raise ValueError(msg)
    return sum(_BITS[c] for c in permissions if c != "-")


def _union(permissions: Iterable[str]) -> str:
    value = 0
    for p in permissions:
        value |= _bits(p)
    return "".join(c if value & _BITS[c] else "-" for c in "rwx")


def _normalize(path: str) -> str:
    return path.strip("/")


def _parent(path: str) -> str:
    return path.rsplit("/", 1)[0] if "/" in path else ""


def _ancestors(path: str) -> list[str]:
    """Every directory above ``path``, root first: ``a/b/c`` -> ``["", "a", "a/b"]``."""
    parts = path.split("/") if path else []
    return ["/".join(parts[:i]) for i in range(len(parts))]


def access_check(acl: Acl, caller: Caller, desired: str) -> bool:
    """ADLS Gen2's check: super-user, owner (no mask), named user (mask), any granting group (mask), other."""
    want = _bits(desired)
    if caller.superuser:
        return True
    if caller.key == acl.owner:
        return want & _bits(acl.owner_permissions) == want
    mask = _bits(acl.mask)
    for entry in acl.named:
        if entry.tag == "user" and entry.principal.key == caller.key:
            return want & _bits(entry.permissions) & mask == want
    groups = [(acl.group, acl.group_permissions)]
    groups.extend((e.principal.key, e.permissions) for e in acl.named if e.tag == "group")
    for group, permissions in groups:
        if group in caller.groups and want & _bits(permissions) & mask == want:
            return True
    return want & _bits(acl.other) & mask == want


def _inherited(default: Acl | None, group: str) -> Acl:
    """The access ACL of a new child: the parent's default ACL with the umask 007 (``other`` gets nothing)."""
    if default is None:
        return Acl(_CREATOR, _WRITE, group, _NONE, (), _NONE, _NONE)
    return Acl(
        _CREATOR, default.owner_permissions, group, default.group_permissions, default.named, default.mask, _NONE
    )


def _default_at(plan: LakePlan, path: str) -> tuple[Acl | None, str]:
    """The default ACL and owning group of a directory; unplanned directories inherit theirs from the parent."""
    folder = plan.find(path)
    if folder is not None:
        return (folder.acl("default") if folder.has_default else None), folder.group
    if not path:
        return None, SUPERUSER
    return _default_at(plan, _parent(path))


def acl_at(plan: LakePlan, path: str) -> Acl:
    """The access ACL of ``path``: planned, or inherited by a file or folder created later below a planned folder."""
    path = _normalize(path)
    folder = plan.find(path)
    if folder is not None:
        return folder.acl("access")
    default, group = _default_at(plan, _parent(path))
    return _inherited(default, group)


def allows(plan: LakePlan, caller: Caller, operation: Operation, path: str) -> bool:
    """Whether ``caller`` may perform ``operation`` on ``path`` under the planned ACLs alone (no RBAC data role).

    ``traverse``, ``list`` and ``create`` (a child) take a directory; ``read``, ``write`` and ``delete`` take a
    file, assumed created by someone else below a planned folder (so it carries its parent's default entries).
    Every directory above ``path`` must grant execute.
    """
    path = _normalize(path)
    is_file, desired = _OPERATIONS[operation]
    if is_file and not path:
        msg = f"{operation} needs a file path, not the container root"
        raise ValueError(msg)
    for directory in _ancestors(path):
        if not access_check(acl_at(plan, directory), caller, _TRAVERSE):
            return False
    target = _parent(path) if operation == "delete" else path
    return access_check(acl_at(plan, target), caller, desired)


def permissions_at(plan: LakePlan, caller: Caller, path: str) -> str:
    """``rwx``-form summary of what ``caller`` may do at ``path`` (``---`` when a parent blocks traversal)."""
    path = _normalize(path)
    if not all(access_check(acl_at(plan, d), caller, _TRAVERSE) for d in _ancestors(path)):
        return _NONE
    acl = acl_at(plan, path)
    return "".join(
        c if access_check(acl, caller, p) else "-" for c, p in zip("rwx", ("r--", "-w-", "--x"), strict=True)
    )
