//! get-lead: one Lead Sync form response, its answers mapped to the form's questions.

use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::leads::{Lead, LeadFetcher, parse_lead};
use crate::core::pipeline::Client;
use crate::core::spec::LEAD_ROLE;

#[derive(Default)]
pub struct GetLead;

crate::input! {
    /// Input of get-lead.
    pub struct Input {
        /// The lead: urn:li:leadGenFormResponse:{id} (as in a notification's leadUrn) or the
        /// bare id.
        #[param(example = "urn:li:leadGenFormResponse:249592fc-d272-44ba-a7db-c2bdce579507-6")]
        pub lead: String,
    }
}

impl Command for GetLead {
    const SPEC: Spec = Spec {
        name: "get-lead",
        title: "Get lead",
        description: "Reads one lead gen form response with its form, and returns each answer \
                      with its question and the standard fields (EMAIL, FIRST_NAME, ...) as a \
                      map. Needs r_marketing_leadgen_automation and an ad account or page role.",
        scopes: &["r_marketing_leadgen_automation"],
        role: LEAD_ROLE,
        calls: &[
            "GET /rest/leadFormResponses/{id}",
            "GET /rest/leadForms/{id} (when the form is not inlined)",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = Lead;

    fn run(input: Input, api: &mut Client<'_>) -> Result<Lead, Error> {
        let id = parse_lead(&input.lead, "lead")?;
        LeadFetcher::default().fetch(api, &id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::leads::{form_id_and_version, lead_id_of_urn};
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::{Value, json};

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

    fn get(env: &mut ScriptEnv, lead: &str) -> Result<Value, Error> {
        run::<GetLead>(env, json!({"lead": lead}))
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
        assert_eq!(env.sent[0].method, http::Method::GET);
        assert_eq!(
            env.sent[0].header("linkedin-version"),
            Some(crate::core::pipeline::DEFAULT_VERSION)
        );
        assert_eq!(
            env.sent[1].url,
            "https://api.linkedin.com/rest/leadForms/7234246"
        );
        let out = lead;
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
        assert_eq!(out["fields"]["SENIORITY"], "Senior, Owner");
        assert_eq!(out["answers"][3]["values"], json!(["Senior", "Owner"]));
        assert_eq!(out["answers"][3].get("value"), None);
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
        assert_eq!(out["answers"][0]["question"], "Couleur");
        assert_eq!(out["answers"][0]["values"], json!(["bleu", "9"]));
        assert_eq!(out["answers"][1]["question"], Value::Null);
        assert_eq!(out["answers"][1]["value"], "free text");
        assert_eq!(out["fields"], json!({}));
        assert_eq!(out["testLead"], false);
        assert_eq!(out["formUrn"], Value::Null);
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
            assert_eq!(field_of(get(&mut env, bad)), "lead", "{bad}");
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
        let result = run::<GetLead>(
            &mut env,
            json!({"lead": LEAD_ID, "linkedinVersion": "soon"}),
        );
        assert_eq!(field_of(result), "linkedinVersion");
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
