//! get-lead: one Lead Sync form response, its answers mapped to the form's questions.
//!
//! A response carries only question ids and option ids; the meaning is in the form. The form
//! is asked for inline with the response (LinkedIn's own projection) and fetched separately
//! only when it did not come inline.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::catalog::{CommandSpec, GET_LEAD};
use crate::error::Error;
use crate::http::Method;
use crate::input::{Fields, scalar_text};
use crate::output::object_with_raw;
use crate::pipeline::{Api, ApiRequest, Client, Env};
use crate::urn::{Urn, encode_key};

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

/// Input of get-lead.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GetLead {
    /// `urn:li:leadGenFormResponse:{id}`, the short form, or the bare id.
    pub lead: String,
    pub linkedin_version: Option<String>,
}

impl GetLead {
    pub fn from_json(map: &Map<String, Value>) -> Result<GetLead, Error> {
        let f = Fields::new(map, &GET_LEAD)?;
        Ok(GetLead {
            lead: f.required_str("lead")?.to_string(),
            linkedin_version: f.optional_str("linkedinVersion")?.map(str::to_string),
        })
    }
}

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
#[derive(Clone, Debug, PartialEq, Serialize)]
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
    #[serde(skip)]
    pub raw: String,
}

impl Lead {
    pub fn to_json(&self) -> String {
        object_with_raw(self, Some(&self.raw))
    }

    /// The output as a JSON value (for embedding in a notification).
    pub fn to_value(&self) -> Value {
        serde_json::from_str(&self.to_json()).unwrap_or_else(|_| json!({}))
    }
}

pub fn get_lead(env: &mut dyn Env, input: GetLead) -> Result<Lead, Error> {
    let id = parse_lead(&input.lead, "lead")?;
    let mut fetcher = LeadFetcher::new(env, &GET_LEAD, input.linkedin_version.as_deref())?;
    fetcher.fetch(&id)
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

/// Fetches leads through one client, keeping the forms it has read (a webhook body may name
/// several leads of one form).
pub struct LeadFetcher<'e> {
    client: Client<'e>,
    forms: BTreeMap<String, Value>,
}

impl<'e> LeadFetcher<'e> {
    /// Checks the LinkedIn version before anything is sent.
    pub fn new(
        env: &'e mut dyn Env,
        spec: &'static CommandSpec,
        version: Option<&str>,
    ) -> Result<LeadFetcher<'e>, Error> {
        let mut client = Client::new(env, spec).with_version(version);
        client.version()?;
        Ok(LeadFetcher {
            client,
            forms: BTreeMap::new(),
        })
    }

    /// The lead `id` (already validated), with its answers mapped through its form.
    pub fn fetch(&mut self, id: &str) -> Result<Lead, Error> {
        let mut request = ApiRequest::new(
            Method::Get,
            Api::Rest,
            format!("/leadFormResponses/{}", encode_key(id)),
        );
        request
            .query
            .push(("fields".to_string(), LEAD_PROJECTION.to_string()));
        let response = self.client.send(request)?;
        let body = response.json()?;
        let status = response.status;
        let Some(object) = body.as_object() else {
            return Err(Error::Decode {
                status,
                message: "LinkedIn's lead answer is not a JSON object.".into(),
            });
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
                Some(form_id) => Some(self.form(form_id)?),
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
            raw: response.text().unwrap_or("{}").to_string(),
        })
    }

    /// The form definition `GET /rest/leadForms/{id}`, read once per fetcher.
    fn form(&mut self, form_id: &str) -> Result<Value, Error> {
        if let Some(form) = self.forms.get(form_id) {
            return Ok(form.clone());
        }
        let response = self.client.send(ApiRequest::new(
            Method::Get,
            Api::Rest,
            format!("/leadForms/{}", encode_key(form_id)),
        ))?;
        let form = response.json()?;
        if !form.is_object() {
            return Err(Error::Decode {
                status: response.status,
                message: "LinkedIn's lead form answer is not a JSON object.".into(),
            });
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::testing::ScriptEnv;

    const LEAD_ID: &str = "249592fc-d272-44ba-a7db-c2bdce579507-6";
    const LEAD_URL: &str = "https://api.linkedin.com/rest/leadFormResponses/249592fc-d272-44ba-a7db-c2bdce579507-6?fields=ownerInfo,associatedEntityInfo,leadMetadataInfo,owner,leadType,versionedLeadGenFormUrn,id,submittedAt,testLead,formResponse,form:(hiddenFields,creationLocale,name,id,content)";

    /// LinkedIn's Postman example (§7.6), without an inlined form.
    const LEAD: &str = r#"{
      "id": "249592fc-d272-44ba-a7db-c2bdce579507-6",
      "owner": { "sponsoredAccount": "urn:li:sponsoredAccount:1234567" },
      "submitter": "urn:li:person:BcLKblgopR",
      "leadType": "SPONSORED",
      "versionedLeadGenFormUrn": "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)",
      "submittedAt": 1689894599288,
      "testLead": true,
      "formResponse": {
        "consentResponses": [ { "accepted": true, "consentId": 0 } ],
        "answers": [
          { "questionId": 107234246, "answerDetails": { "textQuestionAnswer": { "answer": "Kevin" } } },
          { "questionId": 307234246, "answerDetails": { "textQuestionAnswer": { "answer": "kevjohonson@email.com" } } },
          { "questionId": 707234246, "answerDetails": { "multipleChoiceAnswer": { "options": [0] } } } ] }
    }"#;

    /// The §7.7 example form, with ids matching the lead above and a predefined multiple-choice
    /// question.
    const FORM: &str = r#"{ "id": 7234246, "versionId": 1, "name": "custom questions",
      "creationLocale": { "country": "US", "language": "en" }, "hiddenFields": [],
      "content": { "questions": [
        { "questionId": 107234246, "name": "First name", "predefinedField": "FIRST_NAME",
          "question": { "localized": { "en_US": "First name" } },
          "questionDetails": { "textQuestionDetails": { "maxResponseLength": 300 } } },
        { "questionId": 307234246, "name": "Email address", "predefinedField": "EMAIL",
          "question": { "localized": { "en_US": "Email address" } } },
        { "questionId": 707234246, "name": "Custom question 0",
          "question": { "localized": { "en_US": "favorite color" } },
          "questionDetails": { "multipleChoiceQuestionDetails": { "options": [
            { "id": 0, "text": { "localized": { "en_US": "blue" } } },
            { "id": 1, "text": { "localized": { "en_US": "red" } } } ] } } },
        { "questionId": 807234246, "name": "Seniority", "predefinedField": "SENIORITY",
          "question": { "localized": { "en_US": "Seniority" } },
          "questionDetails": { "multipleChoiceQuestionDetails": { "options": [
            { "id": 3, "text": { "localized": { "en_US": "Senior" } } },
            { "id": 4, "text": { "localized": { "en_US": "Owner" } } } ] } } } ] } }"#;

    fn get(env: &mut ScriptEnv, lead: &str) -> Result<Lead, Error> {
        get_lead(
            env,
            GetLead {
                lead: lead.into(),
                linkedin_version: None,
            },
        )
    }

    fn expected_answers() -> Value {
        json!([
            {"questionId": 107234246, "question": "First name", "predefinedField": "FIRST_NAME", "value": "Kevin"},
            {"questionId": 307234246, "question": "Email address", "predefinedField": "EMAIL", "value": "kevjohonson@email.com"},
            {"questionId": 707234246, "question": "favorite color", "predefinedField": null, "values": ["blue"]}
        ])
    }

    #[test]
    fn fetches_the_form_when_not_inlined() {
        let mut env = ScriptEnv::new()
            .respond(200, &[], LEAD)
            .respond(200, &[], FORM);
        let lead = get(&mut env, &format!("urn:li:leadGenFormResponse:{LEAD_ID}")).unwrap();
        assert_eq!(env.sent.len(), 2);
        assert_eq!(env.sent[0].url, LEAD_URL);
        assert_eq!(env.sent[0].method, Method::Get);
        assert_eq!(
            env.sent[0].header("linkedin-version"),
            Some(crate::pipeline::DEFAULT_VERSION)
        );
        assert_eq!(
            env.sent[1].url,
            "https://api.linkedin.com/rest/leadForms/7234246"
        );
        let out: Value = serde_json::from_str(&lead.to_json()).unwrap();
        assert_eq!(
            out["leadUrn"],
            format!("urn:li:leadGenFormResponse:{LEAD_ID}")
        );
        assert_eq!(out["leadId"], LEAD_ID);
        assert_eq!(out["submittedAt"], 1689894599288i64);
        assert_eq!(out["testLead"], true);
        assert_eq!(
            out["formUrn"],
            "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)"
        );
        assert_eq!(out["formId"], "7234246");
        assert_eq!(out["formVersion"], 1);
        assert_eq!(out["formName"], "custom questions");
        assert_eq!(out["submitter"], "urn:li:person:BcLKblgopR");
        assert_eq!(out["answers"], expected_answers());
        assert_eq!(
            out["fields"],
            json!({"FIRST_NAME": "Kevin", "EMAIL": "kevjohonson@email.com"})
        );
        assert_eq!(
            out["raw"]["formResponse"]["answers"][0]["questionId"],
            107234246
        );
    }

    #[test]
    fn uses_the_inlined_form_without_a_second_call() {
        let mut lead: Value = serde_json::from_str(LEAD).unwrap();
        lead["form"] = serde_json::from_str(FORM).unwrap();
        lead["formResponse"]["answers"]
            .as_array_mut()
            .unwrap()
            .push(json!({"questionId": 807234246, "answerDetails": {"multipleChoiceAnswer": {"options": [3, 4]}}}));
        let mut env = ScriptEnv::new().respond(200, &[], &lead.to_string());
        let out = get(&mut env, LEAD_ID).unwrap();
        assert_eq!(env.sent.len(), 1);
        assert_eq!(env.sent[0].url, LEAD_URL);
        assert_eq!(
            out.fields.get("SENIORITY").map(String::as_str),
            Some("Senior, Owner")
        );
        assert_eq!(
            out.answers[3].values,
            Some(vec!["Senior".to_string(), "Owner".to_string()])
        );
        assert_eq!(out.answers[3].value, None);
    }

    #[test]
    fn unknown_questions_and_options_are_kept() {
        let lead = r#"{"id":"x-1","form":{"creationLocale":{"language":"fr","country":"FR"},"content":{"questions":[
            {"questionId":"5","question":{"localized":{"en_US":"Colour","fr_FR":"Couleur"}},
             "questionDetails":{"multipleChoiceQuestionDetails":{"options":[{"id":0,"text":{"localized":{"fr_FR":"bleu"}}}]}}}]}},
          "formResponse":{"answers":[
            {"questionId":5,"answerDetails":{"multipleChoiceAnswer":{"options":[0,9]}}},
            {"questionId":6,"answerDetails":{"textQuestionAnswer":{"answer":"free text"}}}]}}"#;
        let mut env = ScriptEnv::new().respond(200, &[], lead);
        let out = get(&mut env, "leadGenFormResponse:x-1").unwrap();
        assert_eq!(out.answers[0].question.as_deref(), Some("Couleur"));
        assert_eq!(
            out.answers[0].values,
            Some(vec!["bleu".to_string(), "9".to_string()])
        );
        assert_eq!(out.answers[1].question, None);
        assert_eq!(out.answers[1].value.as_deref(), Some("free text"));
        assert!(out.fields.is_empty());
        assert!(!out.test_lead);
        assert_eq!(out.form_urn, None);
    }

    #[test]
    fn bad_lead_sends_nothing() {
        for bad in [
            "urn:li:person:abc",
            "urn:li:leadGenFormResponse:a/b",
            "../leadForms/1",
            "a b",
            "abc%2F",
            "urn:li:leadGenFormResponse:(a,b)",
        ] {
            let mut env = ScriptEnv::new();
            match get(&mut env, bad) {
                Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "lead", "{bad}"),
                other => panic!("{bad}: {other:?}"),
            }
            assert!(env.sent.is_empty());
        }
        assert_eq!(
            parse_lead("urn:li:leadFormResponse:a-1", "lead").unwrap(),
            "a-1"
        );
        assert_eq!(parse_lead(" a_1-B ", "lead").unwrap(), "a_1-B");
    }

    #[test]
    fn errors_come_from_the_pipeline() {
        let mut env = ScriptEnv::new().respond(
            404,
            &[],
            r#"{"status":404,"code":"RESOURCE_NOT_FOUND","message":"No virtual resource found"}"#,
        );
        assert_eq!(get(&mut env, LEAD_ID).unwrap_err().kind(), "not-found");
        let mut env = ScriptEnv::new().respond(200, &[], "[]");
        assert_eq!(get(&mut env, LEAD_ID).unwrap_err().kind(), "decode");
        let mut env = ScriptEnv::new();
        let err = get_lead(
            &mut env,
            GetLead {
                lead: LEAD_ID.into(),
                linkedin_version: Some("soon".into()),
            },
        )
        .unwrap_err();
        assert!(matches!(err, Error::InvalidInput { field, .. } if field == "linkedinVersion"));
        assert!(env.sent.is_empty());
    }

    #[test]
    fn form_urns() {
        assert_eq!(
            form_id_and_version("urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,1)"),
            Some(("7234246".to_string(), Some(1)))
        );
        assert_eq!(
            form_id_and_version("urn:li:leadGenForm:818"),
            Some(("818".to_string(), None))
        );
        assert_eq!(form_id_and_version("urn:li:versionedLeadGenForm:818"), None);
        assert_eq!(form_id_and_version("urn:li:share:1"), None);
        assert_eq!(
            lead_id_of_urn("urn:li:leadGenFormResponse:a-1").as_deref(),
            Some("a-1")
        );
        assert_eq!(lead_id_of_urn("urn:li:leadGenFormResponse:a/1"), None);
    }
}
