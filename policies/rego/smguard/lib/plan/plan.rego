# METADATA
# description: |
#   Helpers over the Terraform plan document: which resources are checked,
#   known and unknown values, and references followed through `configuration`.
package smguard.lib.plan

import data.smguard.lib.hcl2

# The plan document. HCP Terraform and Spacelift wrap it; their adapters set
# `input.plan` / `input.terraform` and the plain plan is `input` itself.
# conftest's parse of Terraform source is converted into one (lib/hcl2).
doc := input.plan if _plan(input.plan)

else := input.terraform if _plan(input.terraform)

else := converted if {
	converted := hcl2.plan
} else := input

# The document is a plan: nothing is checked otherwise. A plan always has
# planned_values, and resource_changes unless nothing changes.
is_plan if _plan(doc)

_plan(document) if is_array(document.resource_changes)

_plan(document) if is_object(document.planned_values)

# Resource changes that are checked: managed, and still there after apply.
# A resource only being deleted, or forgotten (a `removed` block with
# `destroy = false`: Terraform stops managing it), is not checked; create,
# update, replace and no-op are.
#
# The indexes below are complete rules, so OPA computes each once per
# evaluation, and they are read whole through object.get: indexing a partial
# rule with a computed key would evaluate its body again for every lookup.
#
# Their values are comprehensions, not object rules (Regal's preference), for
# two engines at once. OPA evaluates an object rule's keys with a collision check
# against every key before it (v1.22 topdown `hasCollisions`): quadratic, 12 s
# of a 50,000-resource plan. Comprehensions OPA indexes, and those that group
# (a key to several values) are linear there; OPA's wasm target has no
# comprehension index, so the grouping ones are kept small: instances of
# `count`/`for_each` resources grouped by resource, and names grouped only
# when two resources of a type share one. Sets hold addresses, not resource
# objects: hashing large objects into sets dominated evaluation time.
_checked := [rc |
	some rc in doc.resource_changes
	object.get(rc, "mode", "managed") == "managed"
	not gone(rc)
]

_types contains rc.type if some rc in _checked

# regal ignore:prefer-set-or-object-rule
_checked_by_type := {type: [rc | some rc in _checked; rc.type == type] | some type in _types}

# regal ignore:prefer-set-or-object-rule
_change := {rc.address: rc | some rc in _checked}

# Instances of resources with `count` or `for_each`, keyed by address without
# the resource's own instance key, so that a reference to `aws_x.y` finds
# every instance `aws_x.y[0]`, `aws_x.y["k"]`.
_keyed := [rc.address | some rc in _checked; endswith(rc.address, "]")]

_keyed_resources contains _without_key(address) if some address in _keyed

# regal ignore:prefer-set-or-object-rule
_instances := {resource: {address | some address in _keyed; _without_key(address) == resource} |
	some resource in _keyed_resources
}

# Addresses by type and `name`.
_names := [[_name_key(rc.type, name), rc.address] |
	some rc in _checked
	name := value(rc, ["name"])
	is_string(name)
]

_name_keys contains key if some [key, _] in _names

# regal ignore:prefer-set-or-object-rule
_checked_by_name := {key: {address} | some [key, address] in _names} if {
	count(_name_keys) == count(_names)
} else := {key: {address | some [k, address] in _names; k == key} | some key in _name_keys}

_changes(addresses) := {object.get(_change, address, null) | some address in addresses}

# Checked resource changes of a type.
resources(type) := object.get(_checked_by_type, type, [])

# Checked resource changes of a type whose `name` is known to be name.
named(type, name) := {rc |
	some rc in _changes(object.get(_checked_by_name, _name_key(type, name), set()))
	rc.type == type
} if {
	is_string(name)
} else := set()

# A string key: object.get reads an array key as a path.
_name_key(type, name) := concat(" ", [type, name])

gone(rc) if rc.change.actions == ["delete"]

gone(rc) if rc.change.actions == ["forget"]

# The planned values, or {} when there are none.
after(rc) := rc.change.after if is_object(rc.change.after)

else := {}

# A value in `after`, or null when absent. Unknown values are absent from
# `after`: call unknown() first.
value(rc, path) := object.get(after(rc), path, null)

# True when the value at path, or any block that contains it, is unknown until
# apply.
# Most paths have no entry in `after_unknown` at all: that is checked first.
unknown(rc, path) if {
	object.get(rc.change, ["after_unknown", path[0]], false) != false
	_unknown_below(object.get(rc.change, "after_unknown", {}), path)
}

_unknown_below(marks, path) if {
	some n in numbers.range(1, count(path))
	object.get(marks, array.slice(path, 0, n), false) == true
}

# A list that is known but holds unknown elements (`after: [null]`,
# `after_unknown: [true]`) is unknown too: its elements cannot be checked.
_unknown_below(marks, path) if {
	elements := object.get(marks, path, false)
	is_array(elements)
	true in elements
}

# A non-empty string or list. Null, "" and [] are empty.
nonempty(v) if {
	is_string(v)
	v != ""
}

nonempty(v) if {
	is_array(v)
	count(v) > 0
}

# An attribute that is known and non-empty.
known_nonempty(rc, path) if {
	not unknown(rc, path)
	nonempty(value(rc, path))
}

# Instance keys removed: module.a["x"].aws_thing.b[0] -> module.a.aws_thing.b
# (String builtins, not regex: OPA's wasm target leaves regex to the host,
# and these run for every resource.)
base_address(address) := concat("", [_after_key(i, part) | some i, part in split(address, "[")])

_after_key(0, part) := part

_after_key(i, part) := substring(part, indexof(part, "]") + 1, -1) if i > 0

# The resource's own instance key removed: aws_thing.b["k"] -> aws_thing.b
_without_key(address) := substring(address, 0, (count(address) - count(_last(split(address, "[")))) - 1) if {
	endswith(address, "]")
} else := address

_last(parts) := parts[count(parts) - 1]

_module_prefix(rc) := concat("", [rc.module_address, "."]) if rc.module_address

else := ""

# Every module block of the configuration, keyed by its address prefix
# ("" for the root module, "module.a.module.b." for nested calls), to a
# nesting depth of six. walk() over the whole configuration visited every
# expression node and dominated evaluation time. A resource nested deeper has
# no configuration here, so checks that follow its references warn; none pass.
# regal ignore:prefer-set-or-object-rule
_config_modules := {prefix: mod |
	some [prefix, mod] in array.concat(
		array.concat(array.concat(_depth0, _depth1), array.concat(_depth2, _depth3)),
		array.concat(array.concat(_depth4, _depth5), _depth6),
	)
}

_depth0 := [["", object.get(doc, ["configuration", "root_module"], {})]]

_depth1 := _calls(_depth0)

_depth2 := _calls(_depth1)

_depth3 := _calls(_depth2)

_depth4 := _calls(_depth3)

_depth5 := _calls(_depth4)

_depth6 := _calls(_depth5)

_calls(parents) := [[concat("", [prefix, "module.", name, "."]), object.get(call, "module", {})] |
	some [prefix, parent] in parents
	some name, call in object.get(parent, "module_calls", {})
]

# Configuration blocks by address without instance keys.
# regal ignore:prefer-set-or-object-rule
_config_resources := {concat("", [prefix, res.address]): res |
	some prefix, mod in _config_modules
	some res in mod.resources
}

# The configuration block of a resource change, or {} when the plan has none.
config_resource(rc) := object.get(_config_resources, base_address(rc.address), {})

# References made by the expression at path (e.g. ["vpc_config", 0, "subnets"]).
# A path that ends at a list of blocks (an inline `ingress`) has no references
# of its own.
references(rc, path) := refs if {
	expr := object.get(object.get(config_resource(rc), "expressions", {}), path, {})
	is_object(expr)
	refs := object.get(expr, "references", [])
} else := []

# Resource changes of the given type that the expression at path refers to,
# in the same module instance. `aws_sagemaker_model.m` matches every instance
# of m; `aws_sagemaker_model.m["a"]` only that one.
referenced(rc, path, type) := {target |
	some ref in references(rc, path)
	some target in _changes(_targets(concat("", [_module_prefix(rc), _resource_part(ref)])))
	target.type == type
}

# type.name and its instance key: `aws_x.y["k"].id` -> `aws_x.y["k"]`
_resource_part(ref) := concat(".", array.slice(split(ref, "."), 0, 2))

# The resource at an address, or every instance of the resource there.
_targets(address) := {address} if {
	_change[address]
} else := object.get(_instances, address, set())

# An attribute (VPC id, subnets, security groups) that is known and non-empty, or
# unknown only because it refers to resources of the given type created in
# this plan.
set_or_planned(rc, path, _) if known_nonempty(rc, path)

set_or_planned(rc, path, type) if {
	unknown(rc, path)
	count(referenced(rc, path, type)) > 0
}

# Result object of every rule; the entry package adds the catalogue fields.
result(rc, message) := {"address": rc.address, "message": message}
