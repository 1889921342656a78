//! Reading a Lead Sync lead: one form response, its answers mapped to the form's questions.
//! Used by get-lead and by parse-lead-notification's `fetchLead`, and meant for a webhook
//! receiver component too.
//!
//! A response carries only question ids and option ids; the meaning is in the form. The form
//! is asked for inline with the response (LinkedIn's own projection) and fetched separately
//! only when it did not come inline.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use crate::core::error::Error;
use crate::core::input::scalar_text;
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::urn::{Urn, percent_encode};

/// The projection LinkedIn's Postman collection uses: the response plus the form definition.
/// Projections are written unencoded, in Rest.li 1.0 style, even on protocol 2.0.
pub const LEAD_PROJECTION: &str = "ownerInfo,associatedEntityInfo,leadMetadataInfo,owner,\
leadType,versionedLeadGenFormUrn,id,submittedAt,testLead,formResponse,\
form:(hiddenFields,creationLocale,name,id,content)";

/// The URN kind of a lead; `leadFormResponse` is accepted as a synonym on input.
const LEAD_KIND: &str = "leadGenFormResponse";
const LEAD_KINDS: &[&str] = &[LEAD_KIND, "leadFormResponse"];

/// Lead ids are tokens such as `249592fc-d272-44ba-a7db-c2bdce579507-6`.
const MAX_ID_LEN: usize = 200;

/// One answer, with the question it answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Answer {
    pub question_id: Option<i64>,
    /// The question as the member saw it (else the form's label for it).
    pub question: Option<String>,
    /// `EMAIL`, `FIRST_NAME`, ...; absent for custom questions.
    pub predefined_field: Option<String>,
    /// A text answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// The labels of the options chosen in a multiple-choice answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub values: Option<Vec<String>>,
}

/// A lead with its answers.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Lead {
    pub lead_urn: String,
    pub lead_id: String,
    /// Epoch milliseconds.
    pub submitted_at: Option<i64>,
    pub test_lead: bool,
    /// The versioned form URN.
    pub form_urn: Option<String>,
    pub form_id: Option<String>,
    pub form_version: Option<i64>,
    pub form_name: Option<String>,
    pub lead_type: Option<String>,
    pub owner: Option<Value>,
    pub submitter: Option<String>,
    pub answers: Vec<Answer>,
    /// Answers to predefined questions by `predefinedField`; multiple choices joined by `, `.
    pub fields: BTreeMap<String, String>,
    /// LinkedIn's lead body, unchanged.
    pub raw: Box<RawValue>,
}

/// The lead id of a full URN, short form or bare id; invalid-input naming `field` otherwise.
pub fn parse_lead(text: &str, field: &str) -> Result<String, Error> {
    let text = text.trim();
    let id = if text.contains(':') {
        Urn::parse_field(text, field, LEAD_KINDS)?.id().to_string()
    } else {
        text.to_string()
    };
    if is_lead_id(&id) {
        Ok(id)
    } else {
        Err(Error::invalid(
            field,
            format!(
                "`{field}` must be urn:li:leadGenFormResponse:{{id}} or the id, made of letters, \
                 digits, - and _."
            ),
        ))
    }
}

/// The id of `urn:li:leadGenFormResponse:{id}` as LinkedIn sends it in notifications.
pub fn lead_id_of_urn(urn: &str) -> Option<String> {
    let urn = Urn::parse(urn).ok()?;
    (LEAD_KINDS.contains(&urn.kind()) && is_lead_id(urn.id())).then(|| urn.id().to_string())
}

fn is_lead_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The form id and version of `urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)`
/// (`("7234246", Some(1))`) or of a plain `urn:li:leadGenForm:7234246` (`("7234246", None)`).
pub fn form_id_and_version(urn: &str) -> Option<(String, Option<i64>)> {
    let urn = Urn::parse(urn).ok()?;
    match urn.kind() {
        "leadGenForm" => Some((urn.id().to_string(), None)),
        "versionedLeadGenForm" => {
            let inner = urn.id().strip_prefix('(')?.strip_suffix(')')?;
            let (form, version) = inner.rsplit_once(',')?;
            let form = Urn::parse(form).ok()?;
            (form.kind() == "leadGenForm").then_some(())?;
            Some((form.id().to_string(), version.trim().parse().ok()))
        }
        _ => None,
    }
}

/// Fetches leads, keeping the forms it has read (a webhook body may name several leads of one
/// form).
#[derive(Default)]
pub struct LeadFetcher {
    forms: BTreeMap<String, Value>,
}

impl LeadFetcher {
    /// The lead `id` (already validated), with its answers mapped through its form.
    pub fn fetch(&mut self, api: &mut Client<'_>, id: &str) -> Result<Lead, Error> {
        let request = ApiRequest::get(
            Api::Rest,
            format!("/leadFormResponses/{}", percent_encode(id)),
        )
        .query_raw("fields", LEAD_PROJECTION);
        let response = api.send(request)?;
        let body: Value = response.json()?;
        let Some(object) = body.as_object() else {
            return Err(response.not_json("the lead is not a JSON object"));
        };
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_string);
        let form_urn = text("versionedLeadGenFormUrn");
        let (form_id, form_version) = match form_urn.as_deref().and_then(form_id_and_version) {
            Some((form_id, version)) => (Some(form_id), version),
            None => (None, None),
        };
        let form = match inline_form(object) {
            Some(form) => Some(form.clone()),
            None => match &form_id {
                Some(form_id) => Some(self.form(api, form_id)?),
                None => None,
            },
        };
        let lead_id = text("id")
            .filter(|i| is_lead_id(i))
            .unwrap_or_else(|| id.to_string());
        let (answers, fields) = map_answers(object, form.as_ref());
        Ok(Lead {
            lead_urn: format!("urn:li:{LEAD_KIND}:{lead_id}"),
            lead_id,
            submitted_at: object.get("submittedAt").and_then(Value::as_i64),
            test_lead: object
                .get("testLead")
                .and_then(Value::as_bool)
                .unwrap_or(false),
            form_urn,
            form_id,
            form_version,
            form_name: form
                .as_ref()
                .and_then(|f| f.get("name"))
                .and_then(|n| label(n, &locale_of(form.as_ref()))),
            lead_type: text("leadType"),
            owner: object.get("owner").filter(|o| o.is_object()).cloned(),
            submitter: text("submitter"),
            answers,
            fields,
            raw: response.raw_json()?,
        })
    }

    /// The form definition `GET /rest/leadForms/{id}`, read once per fetcher.
    fn form(&mut self, api: &mut Client<'_>, form_id: &str) -> Result<Value, Error> {
        if let Some(form) = self.forms.get(form_id) {
            return Ok(form.clone());
        }
        let response = api.send(ApiRequest::get(
            Api::Rest,
            format!("/leadForms/{}", percent_encode(form_id)),
        ))?;
        let form: Value = response.json()?;
        if !form.is_object() {
            return Err(response.not_json("the lead form is not a JSON object"));
        }
        self.forms.insert(form_id.to_string(), form.clone());
        Ok(form)
    }
}

/// The form the projection inlined, when it has questions.
fn inline_form(lead: &Map<String, Value>) -> Option<&Value> {
    ["form", "versionedLeadGenFormUrn~"]
        .iter()
        .filter_map(|key| lead.get(*key))
        .find(|form| {
            form.pointer("/content/questions")
                .is_some_and(Value::is_array)
        })
}

fn map_answers(
    lead: &Map<String, Value>,
    form: Option<&Value>,
) -> (Vec<Answer>, BTreeMap<String, String>) {
    let locale = locale_of(form);
    let questions: Vec<&Value> = form
        .and_then(|f| f.pointer("/content/questions"))
        .and_then(Value::as_array)
        .map(|q| q.iter().collect())
        .unwrap_or_default();
    let question_of = |id: Option<i64>| {
        id.and_then(|id| {
            questions
                .iter()
                .copied()
                .find(|q| q.get("questionId").and_then(as_int) == Some(id))
        })
    };

    let mut answers = Vec::new();
    let mut fields = BTreeMap::new();
    let given = lead
        .get("formResponse")
        .and_then(|r| r.get("answers"))
        .and_then(Value::as_array);
    for given in given.into_iter().flatten() {
        let question_id = given.get("questionId").and_then(as_int);
        let question = question_of(question_id);
        let details = given.get("answerDetails");
        let text = details
            .and_then(|d| d.pointer("/textQuestionAnswer/answer"))
            .and_then(scalar_text);
        let chosen = details
            .and_then(|d| d.pointer("/multipleChoiceAnswer/options"))
            .and_then(Value::as_array);
        let values = chosen.map(|ids| {
            ids.iter()
                .map(|id| option_label(question, id, &locale))
                .collect::<Vec<_>>()
        });
        let predefined_field = question
            .and_then(|q| q.get("predefinedField"))
            .and_then(Value::as_str)
            .filter(|f| !f.is_empty())
            .map(str::to_string);
        let joined = text
            .clone()
            .or_else(|| values.as_ref().map(|v| v.join(", ")));
        if let (Some(field), Some(value)) = (&predefined_field, joined) {
            fields.insert(field.clone(), value);
        }
        answers.push(Answer {
            question_id,
            question: question.and_then(|q| {
                q.get("question")
                    .and_then(|t| label(t, &locale))
                    .or_else(|| q.get("name").and_then(|t| label(t, &locale)))
            }),
            predefined_field,
            value: if values.is_some() { None } else { text },
            values,
        });
    }
    (answers, fields)
}

/// The label of option `id` of a multiple-choice question; the id itself when the form does not
/// name it.
fn option_label(question: Option<&Value>, id: &Value, locale: &str) -> String {
    let fallback = || scalar_text(id).unwrap_or_else(|| id.to_string());
    let Some(options) = question
        .and_then(|q| q.pointer("/questionDetails/multipleChoiceQuestionDetails/options"))
        .and_then(Value::as_array)
    else {
        return fallback();
    };
    options
        .iter()
        .find(|o| o.get("id").is_some_and(|oid| as_int(oid) == as_int(id)))
        .and_then(|o| o.get("text"))
        .and_then(|t| label(t, locale))
        .unwrap_or_else(fallback)
}

/// The form's locale key (`en_US`), from its `creationLocale`.
fn locale_of(form: Option<&Value>) -> String {
    let part = |key: &str| {
        form.and_then(|f| f.pointer(&format!("/creationLocale/{key}")))
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    match (part("language"), part("country")) {
        (language, _) if language.is_empty() => "en_US".to_string(),
        (language, country) if country.is_empty() => language,
        (language, country) => format!("{language}_{country}"),
    }
}

/// Text of a plain string or a localized string `{"localized": {"en_US": "..."}}`: the form's
/// locale, else one of its language, else `en_US`, else the first.
fn label(value: &Value, locale: &str) -> Option<String> {
    if let Some(text) = value.as_str() {
        return Some(text.to_string());
    }
    let localized = value.get("localized")?.as_object()?;
    let text = |v: &Value| {
        v.as_str()
            .or_else(|| v.get("rawText").and_then(Value::as_str))
            .map(str::to_string)
    };
    let language = locale.split('_').next().unwrap_or(locale);
    localized
        .get(locale)
        .and_then(text)
        .or_else(|| {
            localized
                .iter()
                .find(|(k, _)| k.split('_').next() == Some(language))
                .and_then(|(_, v)| text(v))
        })
        .or_else(|| localized.get("en_US").and_then(text))
        .or_else(|| localized.values().find_map(text))
}

fn as_int(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}
