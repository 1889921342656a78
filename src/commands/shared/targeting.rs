//! LinkedIn's `targetingCriteria`: who an ad reaches. Every clause of `include.and` must match
//! (AND); a clause matches when any of its values does (OR); `exclude.or` removes whoever
//! matches any of its values. create-campaign sends it as its JSON; get-audience-count as one
//! Rest.li value in the query, facet URNs used as keys encoded like every other value.

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::{Map, Value};

use crate::core::error::Error;
use crate::core::input::{Field, ParamType, parse_object, wrong_type};
use crate::core::restli::encode_leaf;
use crate::core::urn::Urn;

/// The shape, for messages.
const SHAPE: &str = "{\"include\": {\"and\": [{\"or\": {\"urn:li:adTargetingFacet:…\": \
                     [\"urn:li:…\"]}}]}, \"exclude\": {\"or\": {…}}} (exclude optional)";

/// A checked `targetingCriteria`, in the order given. Serialized as LinkedIn's JSON.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TargetingCriteria {
    include: Include,
    #[serde(skip_serializing_if = "Option::is_none")]
    exclude: Option<Clause>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
struct Include {
    and: Vec<Clause>,
}

/// `{"or": {facet URN: [value URNs]}}`.
#[derive(Clone, Debug, PartialEq, Serialize)]
struct Clause {
    or: Facets,
}

/// Facet URN to value URNs, in the order given.
#[derive(Clone, Debug, PartialEq)]
struct Facets(Vec<(String, Vec<String>)>);

impl Serialize for Facets {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (facet, values) in &self.0 {
            map.serialize_entry(facet, values)?;
        }
        map.end()
    }
}

impl TargetingCriteria {
    /// The criteria as one Rest.li value:
    /// `(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A1))))))`.
    pub fn restli(&self) -> String {
        let clauses: Vec<String> = self.include.and.iter().map(Clause::restli).collect();
        let mut out = ["(include:(and:List(", &clauses.join(","), "))"].concat();
        if let Some(exclude) = &self.exclude {
            out.push_str(",exclude:");
            out.push_str(&exclude.restli());
        }
        out.push(')');
        out
    }
}

impl Clause {
    fn restli(&self) -> String {
        let facets: Vec<String> = self
            .or
            .0
            .iter()
            .map(|(facet, values)| {
                let values: Vec<String> = values.iter().map(|v| encode_leaf(v)).collect();
                [&encode_leaf(facet), ":List(", &values.join(","), ")"].concat()
            })
            .collect();
        ["(or:(", &facets.join(","), "))"].concat()
    }
}

/// LinkedIn's object, or (the typed interface's form) its JSON text.
impl Field for TargetingCriteria {
    const TYPE: ParamType = ParamType::Object;

    fn read(value: &Value, name: &str) -> Result<Self, Error> {
        match value {
            Value::String(text) => {
                let map = parse_object(text).map_err(|e| {
                    Error::invalid(
                        name,
                        format!(
                            "`{name}` given as text must be a JSON object: {}",
                            e.message()
                        ),
                    )
                })?;
                criteria(&map, name)
            }
            Value::Object(map) => criteria(map, name),
            other => Err(wrong_type(name, "an object", other)),
        }
    }
}

fn criteria(map: &Map<String, Value>, name: &str) -> Result<TargetingCriteria, Error> {
    only(map, name, &["include", "exclude"])?;
    let include_name = format!("{name}.include");
    let include = match map.get("include") {
        None | Some(Value::Null) => {
            return Err(Error::invalid(
                include_name.clone(),
                format!("`{include_name}` is required: {name} must look like {SHAPE}."),
            ));
        }
        Some(Value::Object(include)) => include,
        Some(other) => return Err(wrong_type(&include_name, "an object {\"and\": […]}", other)),
    };
    only(include, &include_name, &["and"])?;
    let and_name = format!("{include_name}.and");
    let clauses = match include.get("and") {
        Some(Value::Array(clauses)) if !clauses.is_empty() => clauses,
        _ => {
            return Err(Error::invalid(
                and_name.clone(),
                format!(
                    "`{and_name}` must be a non-empty list of {{\"or\": {{facet URN: [URNs]}}}} \
                     clauses: {name} must look like {SHAPE}."
                ),
            ));
        }
    };
    let and = clauses
        .iter()
        .enumerate()
        .map(|(i, clause)| self::clause(clause, &format!("{and_name}[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    let exclude = match map.get("exclude") {
        None | Some(Value::Null) => None,
        Some(exclude) => Some(clause(exclude, &format!("{name}.exclude"))?),
    };
    Ok(TargetingCriteria {
        include: Include { and },
        exclude,
    })
}

/// `{"or": {facet URN: [value URNs]}}`, every list non-empty.
fn clause(value: &Value, name: &str) -> Result<Clause, Error> {
    let Value::Object(map) = value else {
        return Err(wrong_type(
            name,
            "an object {\"or\": {facet URN: [URNs]}}",
            value,
        ));
    };
    only(map, name, &["or"])?;
    let or_name = format!("{name}.or");
    let facets = match map.get("or") {
        Some(Value::Object(facets)) if !facets.is_empty() => facets,
        _ => {
            return Err(Error::invalid(
                or_name.clone(),
                format!(
                    "`{or_name}` must be an object of facet URNs to lists of URNs, such as \
                     {{\"urn:li:adTargetingFacet:locations\": [\"urn:li:geo:103644278\"]}}."
                ),
            ));
        }
    };
    let mut out = Vec::with_capacity(facets.len());
    for (facet, values) in facets {
        let facet_name = format!("{or_name}.{facet}");
        // The facet as LinkedIn spells it (a short form or stray spaces made full), and never
        // with a `%`: the Rest.li encoder keeps an existing escape, so `%29` would reach
        // LinkedIn as a `)` inside the value, not as the text given.
        let facet_urn = match Urn::parse(facet) {
            Ok(urn) if urn.kind() == "adTargetingFacet" && !facet.contains('%') => urn.to_string(),
            _ => {
                return Err(Error::invalid(
                    facet_name,
                    format!(
                        "`{or_name}` has the key {}, which is not a facet URN \
                         (urn:li:adTargetingFacet:locations, …; search-targeting lists their \
                         values).",
                        crate::core::error::quoted(facet)
                    ),
                ));
            }
        };
        let values = match values {
            Value::Array(values) if !values.is_empty() => values,
            _ => {
                return Err(Error::invalid(
                    facet_name.clone(),
                    format!("`{facet_name}` must be a non-empty list of URNs."),
                ));
            }
        };
        let mut urns = Vec::with_capacity(values.len());
        for (i, value) in values.iter().enumerate() {
            let value_name = format!("{facet_name}[{i}]");
            match value {
                Value::String(s) if s.contains('%') => {
                    return Err(Error::invalid(
                        value_name.clone(),
                        format!(
                            "`{value_name}` must be a URN as search-targeting gives it, without `%` \
                             escapes (the connector encodes it), not {value}."
                        ),
                    ));
                }
                Value::String(s) if s.trim().starts_with("urn:") && Urn::parse(s).is_ok() => {
                    urns.push(s.trim().to_string());
                }
                _ => {
                    return Err(Error::invalid(
                        value_name.clone(),
                        format!(
                            "`{value_name}` must be a URN such as urn:li:geo:103644278, not {value}."
                        ),
                    ));
                }
            }
        }
        out.push((facet_urn, urns));
    }
    Ok(Clause { or: Facets(out) })
}

/// Refuses keys other than `known`.
fn only(map: &Map<String, Value>, name: &str, known: &[&str]) -> Result<(), Error> {
    match map.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => Err(Error::invalid(
            format!("{name}.{key}"),
            format!(
                "Unknown field `{name}.{key}`; expected {}.",
                known.join(" or ")
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read(value: Value) -> Result<TargetingCriteria, Error> {
        TargetingCriteria::read(&value, "targetingCriteria")
    }

    #[test]
    fn the_documented_criteria_encode_as_linkedins_sample() {
        let criteria = read(json!({"include": {"and": [
            {"or": {"urn:li:adTargetingFacet:locations": ["urn:li:geo:102221843"]}},
            {"or": {"urn:li:adTargetingFacet:skills": ["urn:li:skill:17"]}}]}}))
        .unwrap();
        assert_eq!(
            criteria.restli(),
            "(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Alocations:List(urn%3Ali%3Ageo%3A102221843))),\
             (or:(urn%3Ali%3AadTargetingFacet%3Askills:List(urn%3Ali%3Askill%3A17))))))"
        );
    }

    #[test]
    fn order_exclusions_and_compound_urns_survive() {
        let given = json!({
            "include": {"and": [{"or": {
                "urn:li:adTargetingFacet:titles": ["urn:li:title:9", "urn:li:title:3"],
                "urn:li:adTargetingFacet:ageRanges": ["urn:li:ageRange:(25,34)"]}}]},
            "exclude": {"or": {"urn:li:adTargetingFacet:employers": ["urn:li:organization:1"]}}
        });
        let criteria = read(given.clone()).unwrap();
        assert_eq!(serde_json::to_value(&criteria).unwrap(), given);
        assert_eq!(
            serde_json::to_string(&criteria).unwrap(),
            given.to_string(),
            "keys in the order given"
        );
        assert_eq!(
            criteria.restli(),
            "(include:(and:List((or:(urn%3Ali%3AadTargetingFacet%3Atitles:List(urn%3Ali%3Atitle%3A9,urn%3Ali%3Atitle%3A3),\
             urn%3Ali%3AadTargetingFacet%3AageRanges:List(urn%3Ali%3AageRange%3A%2825%2C34%29))))),\
             exclude:(or:(urn%3Ali%3AadTargetingFacet%3Aemployers:List(urn%3Ali%3Aorganization%3A1))))"
        );
        assert_eq!(
            TargetingCriteria::read(&Value::String(given.to_string()), "targetingCriteria")
                .unwrap(),
            criteria,
            "the typed interface's JSON text"
        );
    }

    #[test]
    fn every_shape_error_names_its_field() {
        let facet = "urn:li:adTargetingFacet:locations";
        for (given, field) in [
            (json!([]), "targetingCriteria"),
            (json!({}), "targetingCriteria.include"),
            (
                json!({"include": {"and": []}}),
                "targetingCriteria.include.and",
            ),
            (
                json!({"include": {"or": {}}}),
                "targetingCriteria.include.or",
            ),
            (
                json!({"include": {"and": [{}]}}),
                "targetingCriteria.include.and[0].or",
            ),
            (
                json!({"include": {"and": [[]]}}),
                "targetingCriteria.include.and[0]",
            ),
            (
                json!({"include": {"and": [{"or": {facet: ["urn:li:geo:1"]}}, {"and": []}]}}),
                "targetingCriteria.include.and[1].and",
            ),
            (
                json!({"include": {"and": [{"or": {"locations": ["urn:li:geo:1"]}}]}}),
                "targetingCriteria.include.and[0].or.locations",
            ),
            (
                json!({"include": {"and": [{"or": {facet: []}}]}}),
                "targetingCriteria.include.and[0].or.urn:li:adTargetingFacet:locations",
            ),
            (
                json!({"include": {"and": [{"or": {facet: ["urn:li:geo:1", 7]}}]}}),
                "targetingCriteria.include.and[0].or.urn:li:adTargetingFacet:locations[1]",
            ),
            (
                json!({"include": {"and": [{"or": {facet: ["geo:1"]}}]}}),
                "targetingCriteria.include.and[0].or.urn:li:adTargetingFacet:locations[0]",
            ),
            (
                json!({"include": {"and": [{"or": {facet: ["urn:li:geo:1"]}}]}, "exclude": {"and": []}}),
                "targetingCriteria.exclude.and",
            ),
            (
                json!({"include": {"and": [{"or": {facet: ["urn:li:geo:1"]}}]}, "targeting": {}}),
                "targetingCriteria.targeting",
            ),
            (json!("{\"include\": 1"), "targetingCriteria"),
        ] {
            assert_eq!(
                read(given.clone()).unwrap_err().field(),
                Some(field),
                "{given}"
            );
        }
    }
}
