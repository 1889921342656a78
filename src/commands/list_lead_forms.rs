//! list-lead-forms: the lead gen forms of an ad account or an organization, a page at a time,
//! each with its versioned URN and its questions (Lead Sync `leadForms`, finder `q=owner`).

use serde::Serialize;
use serde_json::value::RawValue;

use crate::commands::shared::lead_sync::{Owner, SCOPES};
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::json::object;
use crate::core::leads::{FormQuestion, FormVersion, LeadForm};
use crate::core::paging::{self, Count, Page};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::LEAD_ROLE;

#[derive(Default)]
pub struct ListLeadForms;

crate::input! {
    /// Input of list-lead-forms.
    pub struct Input {
        /// Whose forms: an ad account (urn:li:sponsoredAccount:{id}, or sponsoredAccount:{id})
        /// or an organization (urn:li:organization:{id}, or organization:{id}). A bare number is
        /// refused, since it could be either.
        #[param(example = "urn:li:sponsoredAccount:520866471")]
        pub owner: Owner,
        /// Forms per page, 1 to 100.
        pub count: Count = Count::DEFAULT,
        /// How many forms to skip: 0 for the first page, then the `start` of `next`.
        pub start: u32 = 0,
    }
}

/// What kind of answer a question takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum QuestionKind {
    Text,
    MultipleChoice,
    /// A kind this version does not read (its details are in `raw`).
    Other,
}

/// One choice of a multiple-choice question. Mirrors the WIT `lead-form-option`.
#[derive(Clone, Debug, Serialize)]
pub struct FormOptionItem {
    /// The option id, as a lead's answer gives it.
    pub id: Option<i64>,
    /// Its label in the form's locale.
    pub text: Option<String>,
}

/// One question of a form. Mirrors the WIT `lead-form-question`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FormQuestionItem {
    pub question_id: Option<i64>,
    /// LinkedIn's label, in the language of the member who made the form.
    pub name: Option<String>,
    /// `FIRST_NAME`, `EMAIL`, ...; none for a custom question.
    pub predefined_field: Option<String>,
    /// The question in the form's locale (else the first it has).
    pub question: Option<String>,
    pub kind: QuestionKind,
    /// The choices of a multiple-choice question; empty otherwise.
    pub options: Vec<FormOptionItem>,
}

/// One form. Mirrors the WIT `lead-form`.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FormItem {
    /// The form id, digits.
    pub id: String,
    /// The versioned form URN, the key list-leads and create-lead-subscription take.
    pub form_urn: Option<String>,
    /// `urn:li:leadGenForm:{id}`.
    pub lead_gen_form_urn: String,
    pub version: Option<i64>,
    pub name: Option<String>,
    /// `PUBLISHED`, `DRAFT`, `ARCHIVED`, ...
    pub state: Option<String>,
    /// The form's locale (`en_US`).
    pub locale: Option<String>,
    pub questions: Vec<FormQuestionItem>,
    /// LinkedIn's form, unchanged.
    pub raw: Box<RawValue>,
}

/// A page of forms. Mirrors the WIT `lead-form-page`.
pub type FormPage = Page<FormItem>;

impl Command for ListLeadForms {
    const SPEC: Spec = Spec {
        name: "list-lead-forms",
        title: "List lead forms",
        description: "Lists the lead gen forms of an ad account or an organization, count at a \
                      time: each with its id, versioned URN (formUrn, what list-leads and \
                      create-lead-subscription take), name, state, locale and questions \
                      (question id, predefined field such as EMAIL, the question in the form's \
                      locale, TEXT or MULTIPLE_CHOICE with its options). `next` is the input to \
                      merge for the following page, or null after the last. Needs \
                      r_marketing_leadgen_automation, and a role on the ad account or the page.",
        scopes: SCOPES,
        role: LEAD_ROLE,
        calls: &["GET /rest/leadForms?q=owner&owner=(sponsoredAccount:{urn})&count=&start="],
        versioned: true,
    };
    type Input = Input;
    type Output = FormPage;

    fn run(input: Input, api: &mut Client<'_>) -> Result<FormPage, Error> {
        let response = api.send(
            ApiRequest::get(Api::Rest, "/leadForms")
                .query("q", "owner")
                .query_raw("owner", input.owner.restli())
                .paged(input.start, input.count.0),
        )?;
        let (elements, next) = paging::read(&response, input.start, input.count)?;
        let items = elements
            .into_iter()
            .enumerate()
            .map(|(i, raw)| {
                let bad = |why: &str| response.not_json(format!("form [{i}] of the list {why}"));
                let form: LeadForm = object(raw.get()).map_err(|why| bad(&why))?;
                let id = form.form_id().ok_or_else(|| bad("has no form id"))?;
                Ok(item(form, id, raw.to_owned()))
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Page { items, next })
    }
}

fn item(form: LeadForm, id: String, raw: Box<RawValue>) -> FormItem {
    let locale = form.reading_locale();
    let version = form.version_id.int();
    let versioned = version.map(|version| FormVersion {
        id: id.clone(),
        version,
    });
    FormItem {
        form_urn: versioned.as_ref().map(FormVersion::to_string),
        lead_gen_form_urn: ["urn:li:leadGenForm:", &id].concat(),
        id,
        version,
        name: form.name.as_ref().and_then(|n| n.label(&locale)),
        questions: form
            .questions()
            .iter()
            .map(|q| question(q, &locale))
            .collect(),
        locale: form.locale(),
        state: form.state,
        raw,
    }
}

fn question(q: &FormQuestion, locale: &str) -> FormQuestionItem {
    let details = q.question_details.as_ref();
    let kind = match details {
        Some(d) if d.multiple_choice_question_details.is_some() => QuestionKind::MultipleChoice,
        Some(d) if d.text_question_details.is_some() => QuestionKind::Text,
        _ => QuestionKind::Other,
    };
    FormQuestionItem {
        question_id: q.question_id.int(),
        name: q.name.as_ref().and_then(|n| n.label(locale)),
        predefined_field: q.predefined_field().map(str::to_string),
        question: q.question.as_ref().and_then(|t| t.label(locale)),
        kind,
        options: q
            .options()
            .iter()
            .map(|o| FormOptionItem {
                id: o.id.int(),
                text: o.text.as_ref().and_then(|t| t.label(locale)),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::{Value, json};

    const FORM: &str = r#"{"id": 7234246, "versionId": 2, "name": "Form with written spanish",
      "state": "PUBLISHED", "creationLocale": {"country": "ES", "language": "es"},
      "owner": {"sponsoredAccount": "urn:li:sponsoredAccount:1234567"},
      "content": {"questions": [
        {"questionId": 107234246, "name": "First name", "predefinedField": "FIRST_NAME",
         "question": {"localized": {"es_ES": "Nombre"}},
         "questionDetails": {"textQuestionDetails": {"maxResponseLength": 300}}},
        {"questionId": 607234246, "name": "Custom question 0",
         "question": {"localized": {"en_US": "Colour", "es_ES": "Color"}},
         "questionDetails": {"multipleChoiceQuestionDetails": {"options": [
           {"id": 0, "text": {"localized": {"es_ES": "azul"}}},
           {"id": 1, "text": {"localized": {"es_ES": "rojo"}}}]}}},
        {"questionId": 707234246, "name": "Consent"}]}}"#;

    #[test]
    fn lists_forms_with_their_questions() {
        let body = format!(r#"{{"paging":{{"start":0,"count":1,"total":3}},"elements":[{FORM}]}}"#);
        let mut env = ScriptEnv::new().respond(200, &[], &body);
        let out = run::<ListLeadForms>(
            &mut env,
            json!({"owner": "sponsoredAccount:1234567", "count": 1}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/leadForms?q=owner&owner=(sponsoredAccount:urn%3Ali%3AsponsoredAccount%3A1234567)&start=0&count=1"
        );
        let form = &out["items"][0];
        assert_eq!(form["id"], "7234246");
        assert_eq!(
            form["formUrn"],
            "urn:li:versionedLeadGenForm:(urn:li:leadGenForm:7234246,2)"
        );
        assert_eq!(form["leadGenFormUrn"], "urn:li:leadGenForm:7234246");
        assert_eq!(form["version"], 2);
        assert_eq!(form["locale"], "es_ES");
        assert_eq!(
            form["questions"],
            json!([
                {"questionId": 107234246, "name": "First name", "predefinedField": "FIRST_NAME",
                 "question": "Nombre", "kind": "TEXT", "options": []},
                {"questionId": 607234246, "name": "Custom question 0", "predefinedField": null,
                 "question": "Color", "kind": "MULTIPLE_CHOICE",
                 "options": [{"id": 0, "text": "azul"}, {"id": 1, "text": "rojo"}]},
                {"questionId": 707234246, "name": "Consent", "predefinedField": null,
                 "question": null, "kind": "OTHER", "options": []}
            ])
        );
        assert_eq!(form["raw"], serde_json::from_str::<Value>(FORM).unwrap());
        assert_eq!(out["next"], json!({"start": 1}));
    }

    #[test]
    fn a_form_without_id_or_not_an_object_is_a_decode_error() {
        for element in [r#"{"name": "x"}"#, "[]", r#"{"id": 1, "content": 5}"#] {
            let body = format!(r#"{{"elements":[{element}]}}"#);
            let mut env = ScriptEnv::new().respond(200, &[], &body);
            let err =
                run::<ListLeadForms>(&mut env, json!({"owner": "organization:1"})).unwrap_err();
            assert_eq!(err.kind(), "decode", "{element}");
            assert!(err.message().contains("form [0]"), "{err}");
        }
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"owner": "1234567"}), "owner"),
            (json!({"owner": "person:abc"}), "owner"),
            (json!({"owner": "organization:1", "count": 0}), "count"),
            (json!({"owner": "organization:1", "start": -1}), "start"),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<ListLeadForms>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
