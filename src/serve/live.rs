//! Live reload and the error overlay: what the builder tells open pages, as
//! a stream per page (carried by the page's WebSocket, in `http`).
//!
//! The builder publishes an [`Update`] after each change: the URLs of the
//! files whose bytes changed, and the findings of the pages whose overlay
//! changed (an empty list clears it). Each browser page subscribes with its
//! own URL (`/__helpbook/events?page=/zh-cn/a.html`) and receives only what
//! concerns it; the script `live.js` reloads the page (keeping its scroll
//! position) or shows the overlay. The key `*` holds findings shown on every
//! page (a broken `book.toml` or theme, a rebuild that could not write).
//! A page also hears of its language's search index written again
//! (`/zh-cn/search/meta.json`), so that its search box reads it afresh.

use futures_util::stream::{self, Stream};
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};
use tokio::sync::{broadcast, watch};

/// The script injected into every served HTML page.
pub const SCRIPT: &str = include_str!("live.js");

/// The key of findings shown on every page.
pub const EVERY_PAGE: &str = "*";

/// One finding as the overlay shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shown {
    pub lint: String,
    pub level: String,
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The source line the finding points at.
    pub snippet: String,
}

/// What one change did to the site.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Update {
    /// URL paths (decoded, `/zh-cn/a.html`) of the files that changed.
    pub changed: Vec<String>,
    /// Everything was rebuilt: every page reloads.
    pub all: bool,
    /// Page URL → its findings now (empty: clear the overlay).
    pub findings: BTreeMap<String, Vec<Shown>>,
}

impl Update {
    pub fn is_empty(&self) -> bool {
        self.changed.is_empty() && !self.all && self.findings.is_empty()
    }

    /// The part of this update that concerns `page` (None: nothing).
    fn for_page(&self, page: Option<&str>) -> Option<Update> {
        let Some(page) = page else {
            return Some(self.clone());
        };
        let out = Update {
            changed: self
                .changed
                .iter()
                .filter(|c| *c == page || is_search_of(c, page))
                .cloned()
                .collect(),
            all: self.all,
            findings: self
                .findings
                .iter()
                .filter(|(k, _)| *k == page || *k == EVERY_PAGE)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        (!out.is_empty()).then_some(out)
    }
}

/// Whether `url` is the search index (its `meta.json`) of the language
/// folder `page` is in: `/zh-cn/search/meta.json` for `/zh-cn/a.html` and
/// `/zh-cn/sub/b.html`.
fn is_search_of(url: &str, page: &str) -> bool {
    url.strip_suffix("search/meta.json")
        .is_some_and(|folder| folder.len() > 1 && folder.ends_with('/') && page.starts_with(folder))
}

/// Shared by the builder (which publishes) and the server (which streams).
pub struct Live {
    tx: broadcast::Sender<Arc<Update>>,
    /// The findings shown now, by page URL.
    overlay: RwLock<BTreeMap<String, Vec<Shown>>>,
}

impl Default for Live {
    fn default() -> Self {
        Live {
            tx: broadcast::channel(64).0,
            overlay: RwLock::new(BTreeMap::new()),
        }
    }
}

impl Live {
    /// Replaces the overlay with `now` and publishes what changed.
    pub fn publish(&self, changed: Vec<String>, all: bool, now: BTreeMap<String, Vec<Shown>>) {
        let mut overlay = self.overlay.write().unwrap_or_else(|e| e.into_inner());
        let mut findings = BTreeMap::new();
        for (url, list) in &now {
            if overlay.get(url) != Some(list) {
                findings.insert(url.clone(), list.clone());
            }
        }
        for url in overlay.keys() {
            if !now.contains_key(url) {
                findings.insert(url.clone(), Vec::new());
            }
        }
        *overlay = now;
        drop(overlay);
        let update = Update {
            changed,
            all,
            findings,
        };
        if !update.is_empty() {
            // No subscriber is not an error.
            let _ = self.tx.send(Arc::new(update));
        }
    }

    /// What a page that just connected should show.
    fn snapshot(&self, page: Option<&str>) -> Update {
        let overlay = self.overlay.read().unwrap_or_else(|e| e.into_inner());
        let findings = overlay
            .iter()
            .filter(|(k, _)| page.is_none_or(|p| *k == p || *k == EVERY_PAGE))
            .map(|(k, v)| (k.clone(), v.clone()))
            .chain(page.map(|p| (p.to_string(), Vec::new())))
            .fold(BTreeMap::new(), |mut m, (k, v)| {
                m.entry(k).or_insert(v);
                m
            });
        Update {
            changed: Vec::new(),
            all: false,
            findings,
        }
    }

    /// The event stream of one page: its snapshot, then its updates, until
    /// `shutdown` turns true.
    pub fn stream(
        &self,
        page: Option<String>,
        shutdown: watch::Receiver<bool>,
    ) -> impl Stream<Item = Update> + Send + 'static {
        let first = self.snapshot(page.as_deref());
        let rx = self.tx.subscribe();
        let rest = stream::unfold(
            (rx, shutdown, page),
            |(mut rx, mut shutdown, page)| async move {
                loop {
                    if *shutdown.borrow() {
                        return None;
                    }
                    tokio::select! {
                        _ = shutdown.changed() => return None,
                        msg = rx.recv() => match msg {
                            Ok(u) => {
                                if let Some(u) = u.for_page(page.as_deref()) {
                                    return Some((u, (rx, shutdown, page)));
                                }
                            }
                            Err(broadcast::error::RecvError::Lagged(_)) => {
                                let all = Update { all: true, ..Update::default() };
                                return Some((all, (rx, shutdown, page)));
                            }
                            Err(broadcast::error::RecvError::Closed) => return None,
                        }
                    }
                }
            },
        );
        futures_util::StreamExt::chain(stream::once(async move { first }), rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(msg: &str) -> Shown {
        Shown {
            lint: "sxs::unterminated".into(),
            level: "error".into(),
            file: "a.md".into(),
            line: 1,
            column: 2,
            message: msg.into(),
            snippet: String::new(),
        }
    }

    #[test]
    fn updates_are_cut_to_the_page() {
        let u = Update {
            changed: vec!["/zh-cn/a.html".into(), "/zh-cn/b.html".into()],
            all: false,
            findings: BTreeMap::from([("/zh-cn/b.html".to_string(), vec![shown("x")])]),
        };
        let a = u.for_page(Some("/zh-cn/a.html")).expect("a changed");
        assert_eq!(a.changed, ["/zh-cn/a.html"]);
        assert!(a.findings.is_empty());
        assert!(u.for_page(Some("/ja-jp/a.html")).is_none());
        assert_eq!(u.for_page(None).expect("all").changed.len(), 2);
    }

    #[test]
    fn a_page_hears_of_its_own_language_s_search_only() {
        let u = Update {
            changed: vec!["/zh-cn/search/meta.json".into(), "/ja-jp/b.html".into()],
            ..Update::default()
        };
        let zh = u.for_page(Some("/zh-cn/a.html")).expect("zh-CN's search");
        assert_eq!(zh.changed, ["/zh-cn/search/meta.json"]);
        assert!(u.for_page(Some("/ja-jp/a.html")).is_none());
        assert!(u.for_page(Some("/zh-cn/sub/a.html")).is_some());
        assert!(u.for_page(Some("/index.html")).is_none());
        assert!(u.for_page(Some("/zh-cnx/a.html")).is_none());
    }

    #[test]
    fn publish_sends_only_what_changed_in_the_overlay() {
        let live = Live::default();
        let mut rx = live.tx.subscribe();
        let broken = BTreeMap::from([("/a.html".to_string(), vec![shown("x")])]);
        live.publish(Vec::new(), false, broken.clone());
        let first = rx.try_recv().expect("first");
        assert_eq!(first.findings["/a.html"].len(), 1);
        live.publish(vec!["/b.html".into()], false, broken);
        assert!(rx.try_recv().expect("second").findings.is_empty());
        live.publish(Vec::new(), false, BTreeMap::new());
        assert!(rx.try_recv().expect("cleared").findings["/a.html"].is_empty());
        live.publish(Vec::new(), false, BTreeMap::new());
        assert!(rx.try_recv().is_err(), "nothing to say, nothing sent");
        assert!(live.snapshot(Some("/c.html")).findings["/c.html"].is_empty());
    }
}
