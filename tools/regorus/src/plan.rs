//! The engine payload of a Terraform plan file, read as smguard's Python
//! loader builds it (`Document.for_engine` of a lean `plan.load`): the
//! format version, the resource changes of the given types, and the
//! configuration's resource blocks of those types (child modules followed).
//! Everything else is skipped as it is parsed, never held, so the plan costs
//! little more memory than what is kept. tests/test_fixtures.py checks this
//! payload equals the Python one on every fixture.

use regorus::Rc;
use regorus::Value;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::fmt;
use std::io::{BufRead, BufReader};

/// Why a file was not read as a plan.
pub enum Refused {
    /// Not a plain JSON plan (a binary plan, a smguard report, not an
    /// object): the caller builds the payload itself.
    NotAPlan,
    /// Not readable or not JSON: the message.
    Invalid(String),
}

const REPORT_KEY: &str = "smguard_version";

pub fn payload(path: &str, types: &BTreeSet<String>) -> Result<Value, Refused> {
    let invalid = |e: &dyn fmt::Display| Refused::Invalid(format!("{path}: {e}"));
    let file = std::fs::File::open(path).map_err(|e| invalid(&e))?;
    // Read as a stream: the file's text is never held whole.
    let mut reader = BufReader::with_capacity(1 << 16, file);
    if reader
        .fill_buf()
        .map_err(|e| invalid(&e))?
        .starts_with("\u{feff}".as_bytes())
    {
        reader.consume(3);
    }
    loop {
        let buffer = reader.fill_buf().map_err(|e| invalid(&e))?;
        match buffer.iter().position(|b| !b.is_ascii_whitespace()) {
            Some(i) if buffer[i] == b'{' => {
                reader.consume(i);
                break;
            }
            Some(_) => return Err(Refused::NotAPlan),
            None if buffer.is_empty() => return Err(Refused::NotAPlan),
            None => {
                let all = buffer.len();
                reader.consume(all);
            }
        }
    }
    let mut deserializer = serde_json::Deserializer::from_reader(reader);
    let cx = Context {
        types: types.clone(),
        keys: RefCell::new(HashSet::new()),
    };
    let plan = Plan { cx: &cx }
        .deserialize(&mut deserializer)
        .and_then(|plan| deserializer.end().map(|()| plan));
    match plan {
        Ok(plan) => Ok(plan),
        Err(e) if e.to_string().starts_with(REPORT_KEY) => Err(Refused::NotAPlan),
        Err(e) => Err(invalid(&e)),
    }
}

fn object(members: Vec<(&str, Value)>) -> Value {
    let map: BTreeMap<Value, Value> = members
        .into_iter()
        .map(|(k, v)| (Value::from(k), v))
        .collect();
    Value::from(map)
}

fn has_type(value: &Value, types: &BTreeSet<String>) -> bool {
    match &value["type"] {
        Value::String(t) => types.contains(t.as_ref()),
        _ => false,
    }
}

/// The plan's top-level object.
struct Plan<'a> {
    cx: &'a Context,
}

impl<'de> DeserializeSeed<'de> for Plan<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Plan<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Terraform plan object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let (mut version, mut changes, mut configuration) = (Value::Null, Vec::new(), None);
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "format_version" => version = map.next_value()?,
                "resource_changes" => changes = map.next_value_seed(Blocks { cx: self.cx })?,
                "configuration" => {
                    configuration = map.next_value_seed(Configuration { cx: self.cx })?
                }
                REPORT_KEY => return Err(serde::de::Error::custom(REPORT_KEY)),
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let mut members = vec![
            ("format_version", version),
            ("resource_changes", Value::from(changes)),
        ];
        if let Some(root) = configuration {
            members.push(("configuration", object(vec![("root_module", root)])));
        }
        Ok(object(members))
    }
}

/// A list of resource changes or configuration blocks: those of the types.
struct Blocks<'a> {
    cx: &'a Context,
}

impl<'de> DeserializeSeed<'de> for Blocks<'_> {
    type Value = Vec<Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Blocks<'_> {
    type Value = Vec<Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Value>, A::Error> {
        let mut kept = Vec::new();
        while let Some(block) = seq.next_element_seed(Any { cx: self.cx })? {
            if has_type(&block, &self.cx.types) {
                kept.push(block);
            }
        }
        Ok(kept)
    }
    // Anything else is not a list of blocks: nothing kept (the Python
    // loader refuses such a plan).
    fn visit_unit<E>(self) -> Result<Vec<Value>, E> {
        Ok(Vec::new())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Vec<Value>, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Vec::new())
    }
    fn visit_bool<E>(self, _: bool) -> Result<Vec<Value>, E> {
        Ok(Vec::new())
    }
    fn visit_i64<E>(self, _: i64) -> Result<Vec<Value>, E> {
        Ok(Vec::new())
    }
    fn visit_u64<E>(self, _: u64) -> Result<Vec<Value>, E> {
        Ok(Vec::new())
    }
    fn visit_f64<E>(self, _: f64) -> Result<Vec<Value>, E> {
        Ok(Vec::new())
    }
    fn visit_str<E>(self, _: &str) -> Result<Vec<Value>, E> {
        Ok(Vec::new())
    }
}

/// `configuration`: its root module reduced, when it has one.
struct Configuration<'a> {
    cx: &'a Context,
}

impl<'de> DeserializeSeed<'de> for Configuration<'_> {
    type Value = Option<Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Configuration<'_> {
    type Value = Option<Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a configuration object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Option<Value>, A::Error> {
        let mut root = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "root_module" {
                root = Some(map.next_value_seed(Module { cx: self.cx })?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(root)
    }
    fn visit_unit<E>(self) -> Result<Option<Value>, E> {
        Ok(None)
    }
}

/// A module: `resources` of the types, and `module_calls` with each called
/// module reduced the same way (a call's other members kept whole).
struct Module<'a> {
    cx: &'a Context,
}

impl<'de> DeserializeSeed<'de> for Module<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Module<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a module object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let (mut resources, mut calls) = (Vec::new(), BTreeMap::new());
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "resources" => resources = map.next_value_seed(Blocks { cx: self.cx })?,
                "module_calls" => calls = map.next_value_seed(Calls { cx: self.cx })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let mut members = vec![("resources", Value::from(resources))];
        if !calls.is_empty() {
            members.push(("module_calls", Value::from(calls)));
        }
        Ok(object(members))
    }
}

struct Calls<'a> {
    cx: &'a Context,
}

impl<'de> DeserializeSeed<'de> for Calls<'_> {
    type Value = BTreeMap<Value, Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Calls<'_> {
    type Value = BTreeMap<Value, Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("module calls")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut calls = BTreeMap::new();
        while let Some(name) = map.next_key::<String>()? {
            let call = map.next_value_seed(Call { cx: self.cx })?;
            calls.insert(Value::from(name), call);
        }
        Ok(calls)
    }
}

struct Call<'a> {
    cx: &'a Context,
}

impl<'de> DeserializeSeed<'de> for Call<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Call<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a module call object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = BTreeMap::new();
        let mut module = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "module" {
                module = Some(map.next_value_seed(Module { cx: self.cx })?);
            } else {
                members.insert(Value::from(key), map.next_value_seed(Any { cx: self.cx })?);
            }
        }
        let empty = object(vec![("resources", Value::from(Vec::<Value>::new()))]);
        members.insert(Value::from("module"), module.unwrap_or(empty));
        Ok(Value::from(members))
    }
}

/// What every part of the reader shares: the kept types, and the object keys
/// read so far. Each key is allocated once and shared (`Rc`) by every object
/// that has it: the resources of a plan repeat the same few hundred keys, and
/// one allocation per occurrence was a third of the payload's memory.
struct Context {
    types: BTreeSet<String>,
    keys: RefCell<HashSet<Rc<str>>>,
}

impl Context {
    fn key(&self, key: &str) -> Value {
        let mut keys = self.keys.borrow_mut();
        let shared = match keys.get(key) {
            Some(shared) => shared.clone(),
            None => {
                let shared: Rc<str> = Rc::from(key);
                keys.insert(shared.clone());
                shared
            }
        };
        Value::String(shared)
    }
}

/// Any JSON value, as regorus::Value's own Deserialize reads it, with keys shared.
struct Any<'a> {
    cx: &'a Context,
}

impl<'de> DeserializeSeed<'de> for Any<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Any<'_> {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Value, E> {
        if !v.is_finite() {
            return Err(E::custom(format!(
                "invalid non-finite number in input: {v}"
            )));
        }
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(Any { cx: self.cx })? {
            items.push(item);
        }
        Ok(Value::from(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = BTreeMap::new();
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let key = self.cx.key(&key);
            members.insert(key, map.next_value_seed(Any { cx: self.cx })?);
        }
        Ok(Value::from(members))
    }
}
