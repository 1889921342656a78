//! A command's description: what the catalog shows and what a 403 and check-connection need.
//! A leaf module, so the pipeline and the command layer can both use it.

/// A command's description for the catalog.
#[derive(Clone, Copy, Debug)]
pub struct Spec {
    /// The name `execute` takes and the typed WIT function has (kebab-case).
    pub name: &'static str,
    pub title: &'static str,
    /// What the command does and returns, for the query editor's help.
    pub description: &'static str,
    /// The OAuth scopes it needs. An entry `"a|b"` is satisfied by either scope; an entry ending
    /// in `?` is optional (it adds fields but is not needed).
    pub scopes: &'static [&'static str],
    /// What the member needs besides the scopes, as a 403 says it after "the connected account
    /// needs the … scope, and": a page role, an ad-account role. LinkedIn answers a missing
    /// scope and a missing role alike (`ACCESS_DENIED`), so the message names both. Empty when
    /// the scopes are enough.
    pub role: &'static str,
    /// The LinkedIn calls it makes (`GET /v2/userinfo`).
    pub calls: &'static [&'static str],
    /// Whether it calls `/rest` endpoints and so takes `linkedinVersion`.
    pub versioned: bool,
}

/// The role of commands that may act for an organization: posting as a page, commenting and
/// reacting as one, uploading its media.
pub const PAGE_ROLE: &str = "for an organization a page role such as ADMINISTRATOR, \
     CONTENT_ADMINISTRATOR or DIRECT_SPONSORED_CONTENT_POSTER";

/// The role of commands that read an organization's posts, social actions and statistics.
pub const PAGE_READ_ROLE: &str =
    "for an organization a page role such as ADMINISTRATOR or CONTENT_ADMINISTRATOR";

/// The role of Lead Sync commands: sponsored leads need a role on the ad account
/// (ACCOUNT_BILLING_ADMIN, ACCOUNT_MANAGER, CAMPAIGN_MANAGER, CREATIVE_MANAGER or VIEWER) and a
/// page role; an organization's own leads need a page role.
pub const LEAD_ROLE: &str = "a role on the ad account (any of ACCOUNT_BILLING_ADMIN, \
     ACCOUNT_MANAGER, CAMPAIGN_MANAGER, CREATIVE_MANAGER or VIEWER) for sponsored leads, and a \
     page role such as ADMINISTRATOR or LEAD_GEN_FORMS_MANAGER on the page";

/// The role of Ads commands that read accounts, campaigns, creatives and analytics: any role on
/// the ad account, VIEWER included.
pub const AD_READ_ROLE: &str = "a role on the ad account (any of ACCOUNT_BILLING_ADMIN, \
     ACCOUNT_MANAGER, CAMPAIGN_MANAGER, CREATIVE_MANAGER or VIEWER)";

/// The role of commands that create campaign groups and campaigns: a creative manager may only
/// make ads, and a VIEWER may only read, even with `rw_ads`.
pub const AD_CAMPAIGN_ROLE: &str = "the ad-account role CAMPAIGN_MANAGER, ACCOUNT_MANAGER or \
     ACCOUNT_BILLING_ADMIN (a VIEWER or CREATIVE_MANAGER cannot change campaigns)";

/// The role of commands that create ads (creatives): any role but VIEWER.
pub const AD_CREATIVE_ROLE: &str = "an ad-account role other than VIEWER (CREATIVE_MANAGER, \
     CAMPAIGN_MANAGER, ACCOUNT_MANAGER or ACCOUNT_BILLING_ADMIN)";

/// The role of update-ad-status, which changes creatives and campaigns alike.
pub const AD_STATUS_ROLE: &str = "an ad-account role other than VIEWER: CREATIVE_MANAGER or \
     above for a creative, CAMPAIGN_MANAGER or above for a campaign or campaign group";

/// What targeting calls need besides the scope: they name no ad account, so no role, but
/// LinkedIn grants targeting (`r_targeting`) only to apps with its Advertising API product.
pub const AD_TARGETING_ROLE: &str = "LinkedIn's Advertising API product granted to the app (it \
     brings the r_targeting permission)";

impl Spec {
    /// Every scope named, alternatives and optional ones included, in order, each once.
    pub fn scope_names(&self) -> Vec<&'static str> {
        scope_names(self.scopes)
    }

    /// `None` when `granted` satisfies every required entry, else the first entry it misses
    /// (`"w_member_social or w_organization_social"`).
    pub fn missing_scope(&self, granted: &[String]) -> Option<String> {
        self.scopes
            .iter()
            .filter(|entry| !entry.ends_with('?'))
            .find(|entry| !entry.split('|').any(|s| granted.iter().any(|g| g == s)))
            .map(|entry| entry.split('|').collect::<Vec<_>>().join(" or "))
    }
}

/// Every scope the entries name (see [`Spec::scopes`]), in order, each once.
pub fn scope_names<'a>(entries: &[&'a str]) -> Vec<&'a str> {
    let mut names: Vec<&str> = Vec::new();
    for name in entries
        .iter()
        .flat_map(|entry| entry.trim_end_matches('?').split('|'))
    {
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names
}

/// What the entries require, as a 403 message says it: `"the w_member_social or
/// w_organization_social scope"`, `"the openid and profile scopes"`. Optional entries are left
/// out; `None` when nothing is required.
pub fn needs(entries: &[&str]) -> Option<String> {
    let required: Vec<&str> = entries
        .iter()
        .copied()
        .filter(|entry| !entry.ends_with('?'))
        .collect();
    let either = |entry: &str| entry.replace('|', " or ");
    match required.as_slice() {
        [] => None,
        [one] => {
            let names: Vec<&str> = one.split('|').collect();
            Some(match names.split_last() {
                Some((last, rest)) if rest.len() >= 2 => {
                    format!("one of the {} or {last} scopes", rest.join(", "))
                }
                _ => format!("the {} scope", either(one)),
            })
        }
        many => {
            let parts: Vec<String> = many
                .iter()
                .map(|entry| match entry.contains('|') {
                    true => format!("({})", either(entry)),
                    false => entry.to_string(),
                })
                .collect();
            Some(format!("the {} scopes", parts.join(" and ")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_listed_once_and_needs_keep_alternatives_apart() {
        let entries = [
            "openid|r_organization_admin",
            "profile?",
            "r_organization_admin?",
        ];
        assert_eq!(
            scope_names(&entries),
            ["openid", "r_organization_admin", "profile"]
        );
        assert_eq!(
            needs(&entries).as_deref(),
            Some("the openid or r_organization_admin scope")
        );
        assert_eq!(
            needs(&["openid", "profile", "email?"]).as_deref(),
            Some("the openid and profile scopes")
        );
        assert_eq!(
            needs(&["a|b", "c"]).as_deref(),
            Some("the (a or b) and c scopes")
        );
        assert_eq!(
            needs(&["a|b|c|d"]).as_deref(),
            Some("one of the a, b, c or d scopes")
        );
        assert_eq!(
            needs(&["a|b|c"]).as_deref(),
            Some("one of the a, b or c scopes")
        );
        assert_eq!(needs(&["a|b"]).as_deref(), Some("the a or b scope"));
        assert_eq!(needs(&["email?"]), None);
        assert_eq!(needs(&[]), None);
    }
}
