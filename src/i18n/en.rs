use super::Strings;

pub static EN: Strings = Strings {
    tagline: "Which services can you still reach from your network?",
    intro_heading: "What this does",
    intro_does: "reachcheck tries to contact services such as WhatsApp, Telegram, Signal and \
        YouTube directly from your browser, over your own network, and times the answers. \
        It compares them with well-known sites that are rarely blocked, so it can tell \
        \"this service looks blocked or throttled\" apart from \"your connection is down\".",
    intro_not_heading: "What it does not do",
    intro_does_not: &[
        "It does not run anything until you agree to start the test.",
        "It does not hide that you tested: your network operator and the tested services \
         can see that these sites were contacted.",
        "It does not send your results anywhere unless you choose to share them.",
        "It cannot see why a connection failed, only how: when it cannot tell, it says so.",
    ],
    start: "Start the test",
    run_again: "Run again",
    cancel: "Cancel",
    start_note: "Pressing Start contacts the services listed below from your browser, over your network.",
    catalog_loading: "Loading the list of services…",
    catalog_failed: "The list of services could not be used:",
    catalog_label: "Catalog",
    results_heading: "Results",
    controls_heading: "Controls (sites that are rarely blocked)",
    probing: "testing…",
    waiting: "waiting",
    labels: &[
        ("ok", "reachable"),
        ("reachable", "reachable"),
        ("slow", "slow"),
        ("throttled", "throttled"),
        ("stalled", "stalled"),
        ("partial", "partly blocked"),
        ("blocked", "blocked"),
        ("inconclusive", "inconclusive"),
    ],
    footer_note: "free software; runs entirely in your browser",
};
