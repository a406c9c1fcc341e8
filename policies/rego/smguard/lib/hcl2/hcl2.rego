# METADATA
# description: |
#   conftest's HCL2 parse of Terraform source (`conftest test main.tf`), as the
#   plan the rules read. Each `resource` block becomes a resource change being
#   created: literal values go to `after`; a value with an expression in it
#   (`"${var.x}"`, `"${aws_subnet.a.id}"`, `"x-${local.y}"`), which only
#   Terraform can evaluate, is unknown until apply, and its references go to
#   the plan's `configuration`. The rules then give the verdicts they give a
#   plan before apply: an unknown value never passes where a literal is needed,
#   and passes through a reference only to a resource declared in the input.
package smguard.lib.hcl2

# The plan of the parsed files; undefined when the input is not conftest's
# HCL2 shape, so a plan never reaches the conversion.
plan := {
	"format_version": "1.2",
	"resource_changes": [change | some [change, _] in _converted],
	"configuration": {"root_module": {"resources": [block | some [_, block] in _converted]}},
} if {
	count(_sources) > 0
}

# Said once with the findings of source whose SageMaker resources have values
# that depend on more than the resources declared in the input (variables,
# locals, data sources, modules, functions): their verdicts are those of a
# plan before apply, which a plan or `smguard scan` can improve on.
note := concat(" ", [
	"smguard: read from Terraform source, where values set from variables, locals, functions",
	"or other resources are unknown until apply: they fail where a rule needs a literal and warn",
	"where it follows a reference. A plan (`terraform show -json`) or `smguard scan DIR` has their values.",
]) if {
	some [type, _, body] in _declared
	startswith(type, "aws_sagemaker_")
	[_, value] := walk(object.remove(body, {"depends_on", "lifecycle", "provisioner", "connection", "provider"}))
	expression(value)
	not _declared_references(value)
}

# Every reference of the expression is to a resource declared in the input.
_declared_references(value) if {
	refs := references(value)
	count(refs) > 0
	every ref in refs {
		split(_resource(ref), "[")[0] in _addresses
	}
}

_addresses contains concat(".", [type, name]) if some [type, name, _] in _declared

# A module call's resources are in files conftest was not given: they are
# not checked here, and must not read as a pass.
unread_modules contains sprintf(
	"smguard: module.%s (source %v) is not checked: conftest reads only the files it is given; %s",
	[name, object.get(call, "source", "unknown"), "a plan (`terraform show -json`) or `smguard scan DIR` reads modules"],
) if {
	some source in _sources
	some name, calls in object.get(source, "module", {})
	some call in calls
}

# One file (`conftest test main.tf`), or several (`conftest test --combine`:
# an array of {path, contents}) whose references then resolve across files.
# Combined, variable values files are left out (their values are not read);
# any other file that is not source makes the whole input unreadable.
default _sources := []

_sources := [input] if {
	shaped(input)
} else := sources if {
	is_array(input)
	every file in input {
		_combined(file)
	}
	sources := [file.contents | some file in input; shaped(file.contents)]
}

_combined(file) if shaped(file.contents)

_combined(file) if endswith(file.path, ".tfvars")

_combined(file) if endswith(file.path, ".tfvars.json")

# An object of Terraform's top-level block types only, whose resources are
# lists of bodies as conftest's HCL2 parser writes them (Terraform's JSON
# syntax, where a body may be an object and so may a nested block, is not
# this shape).
shaped(doc) if {
	is_object(doc)
	count(doc) > 0
	every key, _ in doc {
		key in _block_types
	}
	every _, named in object.get(doc, "resource", {}) {
		every _, bodies in named {
			is_array(bodies)
		}
	}
}

_block_types := {
	"check", "data", "import", "locals", "module", "moved", "output",
	"provider", "removed", "resource", "terraform", "variable",
}

_declared contains [type, name, body] if {
	some source in _sources
	some type, named in object.get(source, "resource", {})
	some name, bodies in named
	some body in bodies
	not _none(body)
}

_converted contains [change, block] if {
	some [type, name, body] in _declared
	address := concat(".", [type, name])
	node := _v1(object.remove(body, _meta_arguments))
	change := {
		"address": address,
		"mode": "managed",
		"type": type,
		"name": name,
		"change": {
			"actions": ["create"],
			"before": null,
			"after": object.remove(node.after, object.keys(_dynamic(body))),
			"after_unknown": object.union(node.unknown, {block_type: true | some block_type, _ in _dynamic(body)}),
		},
	}
	block := {
		"address": address,
		"mode": "managed",
		"type": type,
		"name": name,
		"expressions": object.union(node.block, {block_type: _leaf(blocks) | some block_type, blocks in _dynamic(body)}),
	}
}

# Arguments of Terraform itself, not of the resource. A `dynamic` block's
# blocks depend on its for_each, which only Terraform evaluates: they are
# unknown.
_meta_arguments := {"count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection", "dynamic"}

_dynamic(body) := object.get(body, "dynamic", {})

# `count = 0` and an empty `for_each`: no instance is created.
_none(body) if body.count == 0

_none(body) if body.for_each in [{}, []]

# A value as the plan writes it: its `after` value, its `after_unknown`
# marks, its `expression` in the configuration, and, for a block's body, the
# expression of each argument (`block`). Rego has no recursion: each level
# converts the values below it with the next one, to a depth of eight (a
# Studio domain's default_resource_spec is at seven); anything deeper is
# taken whole.
_v1(x) := _node(x, {k: _v2(v) | some k, v in _children(x)})

_v2(x) := _node(x, {k: _v3(v) | some k, v in _children(x)})

_v3(x) := _node(x, {k: _v4(v) | some k, v in _children(x)})

_v4(x) := _node(x, {k: _v5(v) | some k, v in _children(x)})

_v5(x) := _node(x, {k: _v6(v) | some k, v in _children(x)})

_v6(x) := _node(x, {k: _v7(v) | some k, v in _children(x)})

_v7(x) := _node(x, {k: _v8(v) | some k, v in _children(x)})

_v8(x) := _node(x, {k: _whole(v) | some k, v in _children(x)})

_children(x) := x if is_object(x)

else := x if is_array(x)

else := {}

# A value below the deepest level: unknown if it holds an expression anywhere.
_whole(x) := {"after": null, "unknown": true, "expression": _leaf(x)} if {
	_holds_expression(x)
} else := {"after": x, "unknown": false, "expression": _leaf(x)}

_node(x, _) := {"after": null, "unknown": true, "expression": _leaf(x)} if {
	expression(x)
}

_node(x, _) := {"after": literal, "unknown": false, "expression": {"constant_value": literal}} if {
	not is_object(x)
	not is_array(x)
	not expression(x)
	literal := _literal(x)
}

_node(x, children) := {
	"after": {k: node.after | some k, node in children; node.unknown != true},
	"unknown": {k: node.unknown | some k, node in children; node.unknown != false},
	"expression": _leaf(x),
	"block": {k: node.expression | some k, node in children},
} if {
	is_object(x)
}

# A list with an expression among its elements is unknown as a whole (a plan
# would know its length; no rule needs it).
_node(x, children) := {"after": null, "unknown": true, "expression": _leaf(x)} if {
	is_array(x)
	some node in children
	node.unknown == true
}

_node(x, children) := {
	"after": [children[i].after | some i, _ in x],
	"unknown": [children[i].unknown | some i, _ in x],
	"expression": _list_expression(x, children),
} if {
	is_array(x)
	every node in children {
		node.unknown != true
	}
}

# A list of objects is a list of blocks: the configuration has the expression
# of each argument of each. Any other value has one expression: its
# references, or its value when it has none.
_list_expression(x, children) := [children[i].block | some i, _ in x] if {
	count(x) > 0
	every element in x {
		is_object(element)
	}
} else := _leaf(x)

_leaf(x) := {"references": references(x)} if {
	_holds_expression(x)
} else := {"constant_value": x}

_holds_expression(x) if {
	[_, value] := walk(x)
	expression(value)
}

# A string Terraform evaluates: an interpolation or a template directive.
# `$${` and `%%{` are the escapes for a literal `${` and `%{`.
expression(x) if {
	is_string(x)
	text := replace(replace(x, "$${", ""), "%%{", "")
	_template(text)
}

_template(text) if contains(text, "${")

_template(text) if contains(text, "%{")

_literal(x) := replace(replace(x, "$${", "${"), "%%{", "%{") if is_string(x)

else := x

# The references in the expressions of a value (`var.x`, `aws_subnet.a.id`,
# `aws_subnet.a["k"].id`, `module.m.out`), as the plan lists them: each
# traversal, and the resource it starts from. A splat (`aws_subnet.a[*].id`)
# refers to the resource.
references(x) := sort({ref |
	[_, value] := walk(x)
	expression(value)
	some match in regex.find_n(`[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]*\])?(\.[A-Za-z_][A-Za-z0-9_-]*(\[[^\]]*\])?)+`, value, -1)
	traversal := split(match, "[*]")[0]
	some ref in {traversal, _resource(traversal)}
})

_resource(traversal) := concat(".", array.slice(split(traversal, "."), 0, 2))
