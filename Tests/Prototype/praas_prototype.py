#!/usr/bin/env python3
"""Behave like the Python prototype PraaS.py, so tests can check that
praas-db reads every state file the prototype writes, and writes files the
prototype can keep operating on.

Usage, as the prototype's:

    praas_prototype.py -f STATE -p
    praas_prototype.py -f STATE -R --json '{"name": ..., "resource_mem": ..., "resource_cpu": ..., "customer": ...}'
    praas_prototype.py -f STATE -C NAME -n Nk
    praas_prototype.py -f STATE -F NAME -n Nk
    praas_prototype.py -f STATE -B NAME -d D

Each run reads the whole state file, applies one operation in memory and
prints the new state with json.dumps(state, sort_keys=True, indent=4).

The value handling is the prototype's, defects included, because
compatibility depends on it:

- A node is found by list index: Nk is nodelist[k].
- Every deploy builds a progress message with
  str(int(capacity_mem) - int(capacity_mem_used)) and the same for CPU, even
  when verbose output is off, so a string such as "0.6" in a CPU field raises
  ValueError, while the number 0.6 passes through int().
- A deploy needs strictly more free memory (compared with int()) and CPU
  (compared with float()) than the container needs, and then stores the
  used values as int + int and float + float, so CPU drifts
  (0.2 + 0.2 + 0.2 = 0.6000000000000001).
- A node skipped for lack of capacity is skipped silently.
- The balloon concatenates each node's depth with strings, so depth must be a
  string; the fog concatenates container names.
- An unknown container or node raises an exception (a traceback, exit code 1).
"""

import argparse
import json
import sys

VERBOSE = False
state = {}


def verbose(text):
    if VERBOSE:
        print("VERBOSE: " + text, file=sys.stderr)


def read_state(path):
    with open(path) as state_file:
        return json.load(state_file)


def find_container(name):
    """Return the registered container called name, or None, as the prototype does."""
    for container in state["containerlist"]:
        if container["name"] == name:
            return container
    return None


def node_index(name):
    """Return k for the node name "Nk"; the node is nodelist[k]."""
    return int(name[1:])


def deploy(name, index):
    """Deploy container `name` on nodelist[index] when it fits; return 0 if deployed, 1 if not."""
    verbose("deploy called for container " + name + " on node " + str(index))
    container = find_container(name)
    # An unknown container is None here, and subscripting it raises TypeError.
    memory_needed = container["resource_mem"]
    cpu_needed = container["resource_cpu"]
    node = state["nodelist"][index]

    # The prototype builds this text on every call, whether or not it is printed.
    verbose(
        "Checking if "
        + str(int(node["capacity_mem"]) - int(node["capacity_mem_used"]))
        + " > "
        + str(memory_needed)
        + " and "
        + str(int(node["capacity_cpu"]) - int(node["capacity_cpu_used"]))
        + " > "
        + str(cpu_needed)
    )

    memory_free = int(int(node["capacity_mem"]) - int(node["capacity_mem_used"]))
    cpu_free = float(float(node["capacity_cpu"]) - float(node["capacity_cpu_used"]))
    if memory_free > int(memory_needed) and cpu_free > float(cpu_needed):
        node["capacity_mem_used"] = int(node["capacity_mem_used"]) + int(memory_needed)
        node["capacity_cpu_used"] = float(node["capacity_cpu_used"]) + float(cpu_needed)
        node["containers"].append(name)
        return 0
    return 1


def balloon(name, depth):
    """Deploy on every node with 0 < depth <= `depth` that does not hold the container yet."""
    for node in state["nodelist"]:
        verbose("Investigating node: " + node["name"])
        verbose("Depth: " + node["depth"] + " target depth: " + depth)
        if int(node["depth"]) > 0 and int(node["depth"]) <= int(depth):
            if name not in node["containers"]:
                deploy(name, node_index(node["name"]))


def fog(name, index):
    """Deploy on nodelist[index] and every node above it, up to but not including N0."""
    if index == 0:
        return
    found = False
    for placed in state["nodelist"][index]["containers"]:
        verbose("cont in " + placed)
        if placed == name:
            found = True
    if not found:
        deploy(name, index)
    fog(name, node_index(state["nodelist"][index]["parent"]))


def register(container):
    """Append the container to containerlist and deploy it on N0."""
    state["containerlist"].append(container)
    deploy(container["name"], 0)


def main():
    global VERBOSE, state
    parser = argparse.ArgumentParser(prog="praas_prototype.py")
    parser.add_argument("-v", "--verbose", action="store_true")
    parser.add_argument("-p", "--print", dest="print_state", action="store_true")
    parser.add_argument("-R", "--register", action="store_true")
    parser.add_argument("-f", "--file", dest="state_file")
    parser.add_argument("-j", "--json")
    parser.add_argument("-C", "--container")
    parser.add_argument("-B", "--balloon")
    parser.add_argument("-F", "--fog")
    parser.add_argument("-n", "--node")
    parser.add_argument("-d", "--depth")
    arguments = parser.parse_args()
    VERBOSE = arguments.verbose

    if not arguments.state_file:
        print("You have to specify a state file to read from")
        sys.exit(1)
    state = read_state(arguments.state_file)

    if arguments.print_state:
        pass
    elif arguments.register and arguments.json:
        register(json.loads(arguments.json))
    elif arguments.container and arguments.node:
        deploy(arguments.container, node_index(arguments.node))
    elif arguments.fog and arguments.node:
        fog(arguments.fog, node_index(arguments.node))
    elif arguments.balloon and arguments.depth:
        balloon(arguments.balloon, arguments.depth)
    else:
        print(arguments.container)
        print(arguments.node)
        return
    print(json.dumps(state, sort_keys=True, indent=4))


if __name__ == "__main__":
    main()
