//! list-posts: a member's or an organization's posts, newest first, a page at a time (Posts API
//! finder `q=author`).

use crate::commands::shared::engagement::READ_SCOPES;
use crate::commands::shared::posting::AUTHOR_KINDS;
use crate::commands::shared::posts::PostItem;
use crate::core::command::{Command, Spec};
use crate::core::error::Error;
use crate::core::input::Choice;
use crate::core::paging::{self, Count, Page};
use crate::core::pipeline::{Api, ApiRequest, Client};
use crate::core::spec::PAGE_READ_ROLE;
use crate::core::urn::Urn;

#[derive(Default)]
pub struct ListPosts;

crate::choice!(
    /// The order of the finder's answer.
    SortBy { LastModified = "LAST_MODIFIED", Created = "CREATED" }
);

crate::input! {
    /// Input of list-posts.
    pub struct Input {
        /// Whose posts: urn:li:person:{id} or urn:li:organization:{id} (short forms
        /// person:{id} and organization:{id} accepted). A member's posts need r_member_social,
        /// which LinkedIn grants to few apps; a page's need r_organization_social and a page
        /// role.
        #[param(example = "urn:li:organization:2414183")]
        pub author: String,
        /// Posts per page, 1 to 100.
        pub count: Count = Count::DEFAULT,
        /// How many posts to skip: 0 for the first page, then the `start` of `next`.
        pub start: u32 = 0,
        /// LAST_MODIFIED: most recently changed first (LinkedIn's default); CREATED: most
        /// recently created first.
        pub sort_by: SortBy = SortBy::LastModified,
    }
}

/// A page of posts. Mirrors the WIT `post-page` record.
pub type PostPage = Page<PostItem>;

impl Command for ListPosts {
    const SPEC: Spec = Spec {
        name: "list-posts",
        title: "List posts",
        description: "Lists the posts of a member or an organization, most recently modified (or \
                      created) first, count at a time: each with its id, feed URL, author, text \
                      (as plain text, hashtags as #word), timestamps, visibility, lifecycle \
                      state and what it carries (mediaCategory). `next` is the input to merge \
                      for the following page, or null after the last. Organization posts need \
                      r_organization_social (or, as LinkedIn's newer docs name it, \
                      r_organization_social_feed) and a page role; member posts need r_member_social, \
                      a restricted scope.",
        scopes: &[READ_SCOPES],
        role: PAGE_READ_ROLE,
        calls: &["GET /rest/posts?q=author&author={urn}&count=&start=&sortBy= (FINDER)"],
        versioned: true,
    };
    type Input = Input;
    type Output = PostPage;

    fn run(input: Input, api: &mut Client<'_>) -> Result<PostPage, Error> {
        let author = Urn::parse_field(&input.author, "author", AUTHOR_KINDS)?;
        let response = api.send(
            ApiRequest::get(Api::Rest, "/posts")
                .query("q", "author")
                .query("author", &author.to_string())
                .paged(input.start, input.count.0)
                .query("sortBy", input.sort_by.as_str())
                .header("x-restli-method", "FINDER"),
        )?;
        let (elements, next) = paging::read(&response, input.start, input.count)?;
        let items = elements
            .into_iter()
            .map(|raw| PostItem::read(raw.to_owned(), None))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|what| {
                response.not_json(["the list answer has a post that ", what].concat())
            })?;
        Ok(Page { items, next })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::testing::{ScriptEnv, field_of, run};
    use serde_json::Value;
    use serde_json::json;

    const POST: &str = r#"{"id":"urn:li:share:1","author":"urn:li:organization:2414183","commentary":"Hi \\(all\\)","createdAt":1,"lastModifiedAt":2,"publishedAt":3,"visibility":"PUBLIC","lifecycleState":"PUBLISHED"}"#;

    #[test]
    fn finds_by_author_and_pages() {
        let body = format!(
            r#"{{"paging":{{"start":0,"count":2,"links":[]}},"elements":[{POST},{POST}]}}"#
        );
        let mut env = ScriptEnv::new().respond(200, &[], &body);
        let out = run::<ListPosts>(
            &mut env,
            json!({"author": "organization:2414183", "count": 2, "sortBy": "created"}),
        )
        .unwrap();
        assert_eq!(
            env.sent[0].url,
            "https://api.linkedin.com/rest/posts?q=author&author=urn%3Ali%3Aorganization%3A2414183&start=0&count=2&sortBy=CREATED"
        );
        assert_eq!(env.sent[0].header("x-restli-method"), Some("FINDER"));
        assert_eq!(out["items"][0]["text"], "Hi (all)");
        assert_eq!(
            out["items"][1]["raw"],
            serde_json::from_str::<Value>(POST).unwrap()
        );
        assert_eq!(out["next"], json!({"start": 2}));
    }

    #[test]
    fn a_short_page_or_the_total_ends_the_list() {
        for body in [
            format!(r#"{{"elements":[{POST}]}}"#),
            format!(r#"{{"paging":{{"total":12}},"elements":[{POST},{POST}]}}"#),
        ] {
            let mut env = ScriptEnv::new().respond(200, &[], &body);
            let out = run::<ListPosts>(
                &mut env,
                json!({"author": "person:abc", "count": 2, "start": 10}),
            )
            .unwrap();
            assert_eq!(out["next"], Value::Null, "{body}");
        }
    }

    #[test]
    fn bad_input_sends_nothing() {
        for (input, field) in [
            (json!({"author": "share:1"}), "author"),
            (json!({"author": "person:abc", "count": 0}), "count"),
            (json!({"author": "person:abc", "count": 101}), "count"),
            (json!({"author": "person:abc", "start": -1}), "start"),
            (
                json!({"author": "person:abc", "sortBy": "NEWEST"}),
                "sortBy",
            ),
        ] {
            let mut env = ScriptEnv::new();
            assert_eq!(field_of(run::<ListPosts>(&mut env, input)), field);
            assert!(env.sent.is_empty());
        }
    }
}
