//! get-post-engagement: reaction and comment counts of up to 100 posts (socialMetadata, batch
//! form), and with an organization that page's share statistics for them
//! (organizationalEntityShareStatistics per post).
//!
//! Every request's query stays within LinkedIn's 4 KB limit: the posts are split into as many
//! calls as needed rather than tunnelled, so each is an ordinary GET.

use http::HeaderMap;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::commands::shared::engagement::READ_SCOPES;
use crate::commands::shared::organization::{self as org, Elements, OrgRef, StatisticsElement};
use crate::core::command::{Command, Spec};
use crate::core::error::{self, Error, ErrorContext};
use crate::core::pipeline::{Api, ApiRequest, ApiResponse, Client, MAX_QUERY_BYTES};
use crate::core::spec::PAGE_READ_ROLE;
use crate::core::urn::{PostKinds, Urn, post_urn};

#[derive(Default)]
pub struct GetPostEngagement;

/// The most posts one call takes.
const MAX_POSTS: usize = 100;

/// What reading social metadata needs, as one either-or entry.
const READ: &[&str] = &[READ_SCOPES];

/// What the share statistics need (with the ADMINISTRATOR role on the page).
const STATISTICS_SCOPES: &[&str] = &["rw_organization_admin"];

/// LinkedIn's reaction types, always reported, in this order.
const REACTION_TYPES: [&str; 6] = [
    "LIKE",
    "PRAISE",
    "EMPATHY",
    "INTEREST",
    "APPRECIATION",
    "ENTERTAINMENT",
];

crate::input! {
    /// Input of get-post-engagement.
    pub struct Input {
        /// 1 to 100 posts: share, ugcPost or activity URNs (short forms accepted) or feed URLs.
        /// A post given twice is reported once, where it first appears.
        #[param(
            example = ["urn:li:share:7045020441609936898", "urn:li:activity:7045020441100000000"],
            max_items = 100
        )]
        pub posts: Vec<String>,
        /// The organization that posted them (urn:li:organization:{id}, short form, numeric id
        /// or vanity name): adds its share statistics (impressions, uniqueImpressions, clicks, shares,
        /// engagement) for each share and ugcPost. Needs rw_organization_admin and the
        /// ADMINISTRATOR role. Activity URNs get none (null): give the share or ugcPost URN.
        #[param(example = "urn:li:organization:2414183")]
        pub organization: Option<OrgRef>,
    }
}

/// One post's counts. Mirrors the WIT `post-engagement` record.
#[derive(Clone, Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Engagement {
    /// The post URN, as given (a feed URL read as its URN).
    pub post: String,
    /// Reactions by type: the six types always, and any other type LinkedIn reports.
    pub reactions: Map<String, Value>,
    pub total_reactions: i64,
    /// Every comment, replies included.
    pub comments: i64,
    pub top_level_comments: i64,
    /// The organization's share statistics (lifetime, organic only); null without
    /// `organization` and for activity URNs, 0 for a post LinkedIn reports no activity for.
    pub impressions: Option<i64>,
    pub unique_impressions: Option<i64>,
    pub clicks: Option<i64>,
    pub shares: Option<i64>,
    pub engagement: Option<f64>,
}

/// Mirrors the WIT `post-engagements` record.
#[derive(Clone, Debug, Serialize)]
pub struct PostEngagements {
    pub items: Vec<Engagement>,
}

impl Command for GetPostEngagement {
    const SPEC: Spec = Spec {
        name: "get-post-engagement",
        title: "Get post engagement",
        description: "Counts the reactions (by type and in total) and comments (all, and top \
                      level) of 1 to 100 posts, and with organization adds that page's share \
                      statistics per post (impressions, unique impressions, clicks, shares, \
                      engagement; lifetime, organic only; a post without activity counts 0). \
                      Reads socialMetadata in its batch form ids=List(...), which LinkedIn's \
                      documentation does not confirm: a 400 or 404 for the batch says so. Long \
                      lists are split so every URL stays under LinkedIn's 4 KB query limit. \
                      Needs r_member_social or r_organization_social (r_organization_social_feed \
                      in LinkedIn's current docs); the statistics need rw_organization_admin.",
        scopes: &[READ_SCOPES, "rw_organization_admin?"],
        role: PAGE_READ_ROLE,
        calls: &[
            "with organization as a vanity name, first: GET /rest/organizations?q=vanityName&vanityName={name}",
            "GET /rest/socialMetadata?ids=List({urns}) (BATCH_GET; UNVERIFIED batch form)",
            "with organization: GET /rest/organizationalEntityShareStatistics?q=organizationalEntity&organizationalEntity={urn}&shares=List(...)&ugcPosts=List(...)",
        ],
        versioned: true,
    };
    type Input = Input;
    type Output = PostEngagements;

    fn run(input: Input, api: &mut Client<'_>) -> Result<PostEngagements, Error> {
        let posts = read_posts(&input.posts)?;
        // A vanity name is looked up first, so one that names no page fails before any count
        // is read.
        let organization = match &input.organization {
            Some(given) => {
                let (id, _) = org::resolve(api, given)?;
                Some(Urn::parse_field(
                    &org::urn(id),
                    "organization",
                    &["organization"],
                )?)
            }
            None => None,
        };
        let posts: Vec<Post> = posts
            .into_iter()
            .map(|urn| {
                let key = urn.path_key();
                (urn, key)
            })
            .collect();
        let mut items = Vec::with_capacity(posts.len());
        let all: Vec<&Post> = posts.iter().collect();
        for batch in batches(&all, MAX_QUERY_BYTES - "ids=List()".len()) {
            read_metadata(api, batch, &mut items)?;
        }
        if let Some(organization) = organization {
            add_statistics(api, &organization, &posts, &mut items)?;
        }
        Ok(PostEngagements { items })
    }
}

/// The posts as URNs, each once, in the order given.
fn read_posts(texts: &[String]) -> Result<Vec<Urn>, Error> {
    if texts.is_empty() || texts.len() > MAX_POSTS {
        return Err(Error::invalid(
            "posts",
            format!(
                "`posts` must list 1 to {MAX_POSTS} posts, not {}; split a longer list into \
                 several calls.",
                texts.len()
            ),
        ));
    }
    let mut posts: Vec<Urn> = Vec::with_capacity(texts.len());
    for (i, text) in texts.iter().enumerate() {
        let urn = post_urn(text, &format!("posts[{i}]"), PostKinds::Social)?;
        if !posts.contains(&urn) {
            posts.push(urn);
        }
    }
    Ok(posts)
}

/// A post and its URN encoded as a Rest.li key (what the `List(...)` of a query holds).
type Post = (Urn, String);

/// Splits `posts` into runs whose keys, comma-separated in a `List(...)`, fit in `room` bytes
/// (a key longer than `room` goes alone).
fn batches<'a>(posts: &'a [&'a Post], room: usize) -> Vec<&'a [&'a Post]> {
    let mut out = Vec::new();
    let mut rest = posts;
    while !rest.is_empty() {
        let (mut len, mut take) = (0, 0);
        for (_, key) in rest {
            let more = key.len() + usize::from(take > 0);
            if take > 0 && len + more > room {
                break;
            }
            len += more;
            take += 1;
        }
        let (batch, after) = rest.split_at_checked(take).unwrap_or((rest, &[]));
        out.push(batch);
        rest = after;
    }
    out
}

/// One `GET /rest/socialMetadata?ids=List(...)`: the counts of `posts`, appended to `items`.
fn read_metadata(
    api: &mut Client<'_>,
    posts: &[&Post],
    items: &mut Vec<Engagement>,
) -> Result<(), Error> {
    let keys: Vec<&str> = posts.iter().map(|(_, key)| key.as_str()).collect();
    let request = ApiRequest::get(Api::Rest, "/socialMetadata")
        .query_raw("ids", ["List(", &keys.join(","), ")"].concat())
        .header("x-restli-method", "BATCH_GET")
        .scopes(READ);
    let response = api.send(request).map_err(|e| match e {
        Error::NotFound(_) | Error::Api(error::ApiError { status: 400, .. }) => e.prefixed(
            "LinkedIn refused the batch socialMetadata call (GET /rest/socialMetadata?ids=List(...), \
             a form its documentation does not confirm); a wrong post id can cause this too: \
             check one post with custom-action GET /rest/socialMetadata/{encoded post URN}. ",
        ),
        other => other,
    })?;
    let body: Value = response.json()?;
    let results = body
        .get("results")
        .and_then(Value::as_object)
        .ok_or_else(|| {
            response.not_json(
                "the batch socialMetadata answer has no results object (the batch form \
             ids=List(...) is not confirmed by LinkedIn's documentation)",
            )
        })?;
    let errors = body.get("errors").and_then(Value::as_object);
    let statuses = body.get("statuses").and_then(Value::as_object);
    for (post, key) in posts {
        let urn = post.to_string();
        let Some(meta) = entry(results, &urn, key) else {
            return Err(match errors.and_then(|errors| entry(errors, &urn, key)) {
                Some(failure) => {
                    let status = statuses.and_then(|s| entry(s, &urn, key));
                    item_error(&response, failure, status, &urn)?
                }
                None => response.not_json(format!(
                    "the batch socialMetadata answer has no entry for {urn}"
                )),
            });
        };
        items.push(counts(urn, meta));
    }
    Ok(())
}

/// The entry of a batch answer's map for a post: LinkedIn may key it by the URN or by its
/// encoded form.
fn entry<'a>(map: &'a Map<String, Value>, urn: &str, key: &str) -> Option<&'a Value> {
    map.get(urn).or_else(|| map.get(key))
}

/// The error LinkedIn reported for one post of a batch, as if the post had been asked alone.
/// Its status is the error entry's own, else the one the batch's `statuses` map gives.
fn item_error(
    response: &ApiResponse,
    failure: &Value,
    listed_status: Option<&Value>,
    urn: &str,
) -> Result<Error, Error> {
    let status = failure
        .get("status")
        .and_then(Value::as_u64)
        .or_else(|| listed_status.and_then(Value::as_u64))
        .and_then(|s| u16::try_from(s).ok())
        .filter(|s| *s >= 400)
        .ok_or_else(|| {
            response.not_json(format!(
                "the batch socialMetadata error for {urn} has no status"
            ))
        })?;
    // A version problem fails the whole call, never one post: no version to name.
    let context = ErrorContext {
        version: None,
        scopes: READ,
        role: PAGE_READ_ROLE,
    };
    let body = serde_json::to_vec(failure).unwrap_or_default();
    Ok(
        error::from_response(status, &HeaderMap::new(), &body, &context)
            .prefixed(&["LinkedIn could not read the counts of ", urn, ": "].concat()),
    )
}

/// A post's counts from its socialMetadata entry; anything missing counts 0.
fn counts(post: String, meta: &Value) -> Engagement {
    let count = |v: Option<&Value>| v.and_then(Value::as_i64).unwrap_or(0);
    let mut reactions: Map<String, Value> = REACTION_TYPES
        .iter()
        .map(|t| (t.to_string(), Value::from(0)))
        .collect();
    let mut total = 0;
    if let Some(summaries) = meta.get("reactionSummaries").and_then(Value::as_object) {
        for (key, summary) in summaries {
            let kind = summary
                .get("reactionType")
                .and_then(Value::as_str)
                .unwrap_or(key);
            let n = count(summary.get("count"));
            total += n;
            reactions.insert(kind.to_string(), n.into());
        }
    }
    let comments = meta.get("commentSummary");
    Engagement {
        post,
        reactions,
        total_reactions: total,
        comments: count(comments.and_then(|c| c.get("count"))),
        top_level_comments: count(comments.and_then(|c| c.get("topLevelCount"))),
        impressions: None,
        unique_impressions: None,
        clicks: None,
        shares: None,
        engagement: None,
    }
}

/// The organization's lifetime statistics for the shares and ugcPosts among `posts` (activity
/// URNs cannot be asked for), set on `items`; a post LinkedIn leaves out had no activity: 0.
fn add_statistics(
    api: &mut Client<'_>,
    organization: &Urn,
    posts: &[Post],
    items: &mut [Engagement],
) -> Result<(), Error> {
    let countable = |(urn, _): &&Post| urn.kind() != "activity";
    let asked: Vec<&Post> = posts.iter().filter(countable).collect();
    let org_key = organization.path_key();
    let fixed = "q=organizationalEntity&organizationalEntity=&shares=List()&ugcPosts=List()".len()
        + org_key.len();
    for (item, _) in items
        .iter_mut()
        .zip(posts)
        .filter(|(_, post)| countable(post))
    {
        item.impressions = Some(0);
        item.unique_impressions = Some(0);
        item.clicks = Some(0);
        item.shares = Some(0);
        item.engagement = Some(0.0);
    }
    for batch in batches(&asked, MAX_QUERY_BYTES - fixed) {
        let list = |kind: &str| {
            let keys: Vec<&str> = batch
                .iter()
                .filter(|(urn, _)| urn.kind() == kind)
                .map(|(_, key)| key.as_str())
                .collect();
            (!keys.is_empty()).then(|| ["List(", &keys.join(","), ")"].concat())
        };
        let mut request = ApiRequest::get(Api::Rest, "/organizationalEntityShareStatistics")
            .query("q", "organizationalEntity")
            .query("organizationalEntity", &organization.to_string())
            .header("x-restli-method", "FINDER")
            .scopes(STATISTICS_SCOPES);
        if let Some(shares) = list("share") {
            request = request.query_raw("shares", shares);
        }
        if let Some(ugc_posts) = list("ugcPost") {
            request = request.query_raw("ugcPosts", ugc_posts);
        }
        let response = api.send(request)?;
        let elements = response
            .json::<Elements<StatisticsElement>>()?
            .elements
            .ok_or_else(|| response.not_json("the share statistics answer has no elements"))?;
        for element in elements {
            let Some(post) = element.share.or(element.ugc_post) else {
                continue;
            };
            let Some(item) = items.iter_mut().find(|item| item.post == post) else {
                continue;
            };
            let stats = element.total_share_statistics.unwrap_or_default();
            item.impressions = Some(stats.impression_count.unwrap_or(0));
            item.unique_impressions = Some(stats.unique_impressions_count.unwrap_or(0));
            item.clicks = Some(stats.click_count.unwrap_or(0));
            item.shares = Some(stats.share_count.unwrap_or(0));
            item.engagement = Some(stats.engagement.unwrap_or(0.0));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::json;

    fn ugc(i: usize) -> String {
        format!("urn:li:ugcPost:70450204416099{i:05}")
    }

    #[test]
    fn batches_fit_the_room() {
        let posts: Vec<Post> = ["aaaa", "bb", "cccc", "d"]
            .map(|key| (Urn::parse("share:1").unwrap(), key.to_string()))
            .to_vec();
        let posts: Vec<&Post> = posts.iter().collect();
        let sizes =
            |room| -> Vec<usize> { batches(&posts, room).iter().map(|b| b.len()).collect() };
        assert_eq!(sizes(7), [2, 2]);
        assert_eq!(sizes(14), [4]);
        assert_eq!(sizes(2), [1, 1, 1, 1]);
        assert!(batches(&[], 10).is_empty());
    }

    #[test]
    fn a_hundred_long_urns_take_two_calls_under_the_limit() {
        let posts: Vec<String> = (0..100).map(ugc).collect();
        let results = |range: std::ops::Range<usize>| {
            let map: Map<String, Value> = range
                .map(|i| {
                    (
                        ugc(i),
                        json!({"entity": ugc(i), "commentSummary": {"count": 1}}),
                    )
                })
                .collect();
            json!({"results": map, "statuses": {}, "errors": {}}).to_string()
        };
        let mut env = ScriptEnv::new().respond(200, &[], &results(0..97)).respond(
            200,
            &[],
            &results(97..100),
        );
        let out = run::<GetPostEngagement>(&mut env, json!({"posts": posts})).unwrap();
        assert_eq!(out["items"].as_array().unwrap().len(), 100);
        assert_eq!(env.sent.len(), 2);
        for sent in &env.sent {
            let query = sent.url.split_once('?').unwrap().1;
            assert!(query.len() <= MAX_QUERY_BYTES, "{}", query.len());
            assert_eq!(sent.method, http::Method::GET);
        }
    }

    #[test]
    fn counts_reactions_and_comments() {
        let body = json!({"results": {"urn:li:activity:7": {
            "reactionSummaries": {"LIKE": {"reactionType": "LIKE", "count": 8}, "PRAISE": {"count": 2}, "MAYBE": {"count": 1}},
            "commentSummary": {"count": 5, "topLevelCount": 3}
        }}});
        let mut env = ScriptEnv::new().respond(200, &[], &body.to_string());
        let out = run::<GetPostEngagement>(
            &mut env,
            json!({"posts": ["activity:7", "https://www.linkedin.com/feed/update/urn:li:activity:7/"]}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/socialMetadata?ids=List(urn%3Ali%3Aactivity%3A7)"
        );
        let item = &out["items"][0];
        assert_eq!(
            out["items"].as_array().unwrap().len(),
            1,
            "duplicates collapse"
        );
        assert_eq!(
            item["reactions"],
            json!({"LIKE": 8, "PRAISE": 2, "EMPATHY": 0, "INTEREST": 0, "APPRECIATION": 0, "ENTERTAINMENT": 0, "MAYBE": 1})
        );
        assert_eq!(item["totalReactions"], 11);
        assert_eq!(item["comments"], 5);
        assert_eq!(item["topLevelComments"], 3);
        assert_eq!(item["impressions"], Value::Null);
    }

    #[test]
    fn a_post_the_batch_reports_an_error_for_fails_naming_it() {
        let body = json!({"results": {}, "errors": {"urn:li:share:1": {"status": 404, "message": "Not found"}}});
        let mut env = ScriptEnv::new().respond(200, &[], &body.to_string());
        let err = run::<GetPostEngagement>(&mut env, json!({"posts": ["share:1"]})).unwrap_err();
        assert_eq!(err.kind(), "not-found");
        assert!(err.message().contains("urn:li:share:1"), "{err}");
        let mut env = ScriptEnv::new().respond(200, &[], r#"{"results": {}}"#);
        let err = run::<GetPostEngagement>(&mut env, json!({"posts": ["share:1"]})).unwrap_err();
        assert_eq!(err.kind(), "decode");
    }

    #[test]
    fn bad_input_sends_nothing() {
        let many: Vec<String> = (0..101).map(ugc).collect();
        for (input, field) in [
            (json!({"posts": []}), "posts"),
            (json!({"posts": many}), "posts"),
            (json!({"posts": ["share:1", "person:abc"]}), "posts[1]"),
            (
                json!({"posts": ["comment:(urn:li:activity:1,2)"]}),
                "posts[0]",
            ),
            (json!({"posts": "share:1"}), "posts"),
            (
                json!({"posts": ["share:1"], "organization": "person:abc"}),
                "organization",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<GetPostEngagement>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
