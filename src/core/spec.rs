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
    /// The LinkedIn calls it makes (`GET /v2/userinfo`).
    pub calls: &'static [&'static str],
    /// Whether it calls `/rest` endpoints and so takes `linkedinVersion`.
    pub versioned: bool,
}

impl Spec {
    /// Every scope named, alternatives and optional ones included, in order.
    pub fn scope_names(&self) -> Vec<&'static str> {
        self.scopes
            .iter()
            .flat_map(|entry| entry.trim_end_matches('?').split('|'))
            .collect()
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
