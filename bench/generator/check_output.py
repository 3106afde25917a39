#!/usr/bin/env python3
"""Checks a ktriage-gen dataset: byte-for-byte Go/kubectl formatting (sorted keys, 4-space
indent), unique names, cross-references (owners, endpoints, events, nodes), requests within
allocatable, timestamps before the snapshot, and the injected faults.

Loads every file whole, so use it on small datasets (a few thousand pods):
    bench/generator/check_output.py DIR
"""
import collections
import json
import re
import sys
from pathlib import Path

SNAPSHOT = "2026-11-29T10:42:00Z"
LISTS = ["nodes", "pods", "events", "deployments", "replicasets", "services", "endpoints",
         "configmaps"]
TIME_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{6})?Z$")

errors = []


def fail(msg):
    errors.append(msg)
    if len(errors) < 30:
        print("FAIL:", msg)


def go_format(data):
    text = json.dumps(data, indent=4, sort_keys=True, ensure_ascii=False) + "\n"
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def walk_times(obj, where):
    if isinstance(obj, dict):
        for k, v in obj.items():
            walk_times(v, where)
    elif isinstance(obj, list):
        for v in obj:
            walk_times(v, where)
    elif isinstance(obj, str) and TIME_RE.match(obj):
        if obj[:19] + "Z" > SNAPSHOT:
            fail(f"{where}: timestamp {obj} after the snapshot")


def cpu_m(q):
    return int(q[:-1]) if q.endswith("m") else int(q) * 1000


def mem_ki(q):
    for suffix, mult in (("Ki", 1), ("Mi", 1024), ("Gi", 1024 * 1024)):
        if q.endswith(suffix):
            return int(q[: -len(suffix)]) * mult
    return int(q) // 1024


def load(root):
    data = {}
    for name in LISTS:
        path = root / f"{name}.json"
        text = path.read_text()
        doc = json.loads(text)
        if go_format(doc) != text:
            fail(f"{path}: not byte-identical to Go's MarshalIndent with sorted keys")
        if doc.get("kind") != "List" or doc.get("apiVersion") != "v1":
            fail(f"{path}: not a v1 List")
        items = doc["items"]
        keys = [(i["metadata"].get("namespace", ""), i["metadata"]["name"]) for i in items]
        if keys != sorted(keys):
            fail(f"{path}: items not sorted by namespace/name")
        if len(set(keys)) != len(keys):
            fail(f"{path}: duplicate names")
        for i in items:
            walk_times(i, f"{name}/{i['metadata']['name']}")
        data[name] = items
    json.loads((root / "version.json").read_text())
    return data


def check_pods(data, counts):
    rs_uid = {(r["metadata"]["namespace"], r["metadata"]["name"]): r["metadata"]["uid"]
              for r in data["replicasets"]}
    nodes = {n["metadata"]["name"]: n for n in data["nodes"]}
    used = collections.defaultdict(lambda: [0, 0, 0])
    for p in data["pods"]:
        md, spec, status = p["metadata"], p["spec"], p["status"]
        owner = md["ownerReferences"][0]
        if rs_uid.get((md["namespace"], owner["name"])) != owner["uid"]:
            fail(f"pod {md['name']}: owner uid mismatch")
        node = spec.get("nodeName")
        if node:
            if node not in nodes:
                fail(f"pod {md['name']}: unknown node {node}")
            u = used[node]
            for c in spec["containers"]:
                u[0] += cpu_m(c["resources"]["requests"]["cpu"])
                u[1] += mem_ki(c["resources"]["requests"]["memory"])
            u[2] += 1
        else:
            cond = status["conditions"][0]
            if "Insufficient cpu" in cond["message"]:
                counts["pending-cpu"] += 1
        for cs in status.get("containerStatuses", []):
            w = cs["state"].get("waiting", {})
            term = cs["lastState"].get("terminated", {})
            if w.get("reason") == "CrashLoopBackOff" and term.get("reason") == "OOMKilled" \
                    and term.get("exitCode") == 137:
                counts["crash-oom"] += 1
            if w.get("reason") == "ImagePullBackOff" and "not found" in w.get("message", ""):
                counts["imagepull"] += 1
            if w.get("reason") == "CreateContainerConfigError" and \
                    w.get("message", "").startswith("couldn't find key app.yaml in ConfigMap"):
                counts["config-key"] += 1
            if "running" in cs["state"] and not cs["ready"] and status["phase"] == "Running":
                counts["readiness"] += 1
    for name, (cpu, mem, pods) in used.items():
        alloc = nodes[name]["status"]["allocatable"]
        if cpu > cpu_m(alloc["cpu"]) or mem > mem_ki(alloc["memory"]) or pods > int(alloc["pods"]):
            fail(f"node {name}: requests exceed allocatable")


def check_refs(data, counts):
    pods = {(p["metadata"]["namespace"], p["metadata"]["name"]): p for p in data["pods"]}
    uids = {p["metadata"]["uid"] for p in data["pods"]}
    uids |= {d["metadata"]["uid"] for d in data["deployments"]}
    uids |= {r["metadata"]["uid"] for r in data["replicasets"]}
    for e in data["events"]:
        if e["involvedObject"]["uid"] not in uids:
            fail(f"event {e['metadata']['name']}: unknown involved object")
    if len(data["events"]) > 2 * len(data["pods"]) + 1:
        fail("more than 2 x pods events")
    for ep in data["endpoints"]:
        for subset in ep.get("subsets", []):
            for a in subset.get("addresses", []) + subset.get("notReadyAddresses", []):
                ref = a.get("targetRef")
                if ref and pods[(ref["namespace"], ref["name"])]["status"]["podIP"] != a["ip"]:
                    fail(f"endpoints {ep['metadata']['name']}: ip mismatch")
    for svc in data["services"]:
        sel = svc["spec"].get("selector")
        if not sel:
            continue
        ns = svc["metadata"]["namespace"]
        if not any(p["metadata"]["namespace"] == ns and
                   all(p["metadata"]["labels"].get(k) == v for k, v in sel.items())
                   for p in data["pods"]):
            counts["svc-no-match"] += 1


def main():
    root = Path(sys.argv[1])
    data = load(root)
    counts = collections.Counter()
    check_pods(data, counts)
    check_refs(data, counts)
    reasons = collections.Counter(e["reason"] for e in data["events"])
    print("items:", {k: len(v) for k, v in data.items()})
    print("faults seen:", dict(counts))
    print("event reasons:", dict(reasons))
    sizes = [len(json.dumps(p, indent=4)) for p in data["pods"]]
    print(f"pod JSON size: avg {sum(sizes) / max(1, len(sizes)):.0f} B (at depth 0)")
    print("OK" if not errors else f"{len(errors)} problems")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
