/* topology.h — the machine's (or an imagined machine's) hardware topology,
 * through hwloc: loading it, counting what it has, and describing it for
 * people (`cmbench topo`) and for results files (`context.topology`). */
#pragma once
#include <stdio.h>
#include <hwloc.h>
#include <jansson.h>
#include "err.h"

/* The most PUs a synthetic --topology may have (hwloc builds each one). */
#define TOPOLOGY_PUS_MAX 65536

/* Load a topology. spec NULL: this machine. Otherwise an hwloc XML file
 * (a path ending in .xml, or any existing file) or an hwloc synthetic
 * description such as "package:2 core:8 pu:2". NULL with e set on error. */
hwloc_topology_t topology_load(const char *spec, struct err *e);

/* 1 when threads and processes can really be bound on this topology: it is
 * this machine and hwloc supports binding here. Binding against a synthetic
 * or XML topology "succeeds" in hwloc and does nothing, so callers must
 * check this. When 0 and why is not NULL, *why explains (static string). */
int topology_can_bind(hwloc_topology_t topo, const char **why);

/* Number of objects of a type (0 when the level is absent). */
int topology_count(hwloc_topology_t topo, hwloc_obj_type_t type);

/* Short lower-case name of an object's type as hwloc locations spell it:
 * "package", "core", "pu", "numa", "l3", "group0" ... */
void topology_type_name(hwloc_obj_t obj, char *buf, size_t len);

/* "package:0 core:1 pu:3": the object with its package and core ancestors,
 * by logical index; "machine" for the root. */
void topology_obj_describe(hwloc_obj_t obj, char *buf, size_t len);

/* Print a human summary: counts, NUMA nodes, caches, binding support. */
void topology_print_summary(hwloc_topology_t topo, const char *spec, FILE *f);

/* The summary as JSON for results' context: source, packages, cores, pus,
 * numa_nodes, numa (memory and cpus of each node), caches (level, type,
 * size, count, pus_sharing), can_bind. New reference. */
json_t *topology_json(hwloc_topology_t topo, const char *spec);
