use super::{plural_en, AppStrings, Strings};

pub static EN: Strings = Strings {
    plural: plural_en,
    start: "Start the test",
    run_again: "Run again",
    cancel: "Cancel",
    consent_heading: "Before the test starts",
    consent_operator: "I understand that my network operator and the tested services can see \
        that these sites were contacted from my connection.",
    consent_publish: "I understand that nothing is published unless I choose to share the \
        results afterwards.",
    consent_confirm: "Run the test",
    consent_back: "Not now",
    catalog_loading: "Loading the list of services…",
    catalog_failed: "The list of services could not be used:",
    catalog_label: "Catalog",
    progress_running: "Testing… {done} of {total} checks done.",
    progress_cancelled: "Cancelled: {done} of {total} checks were done.",
    summary_blocked: "{blocked} of {total} {services} look blocked from your network",
    summary_partial: ", {n} partly blocked",
    summary_throttled: ", {n} throttled",
    summary_slow: ", {n} slow",
    summary_relay_only: ", {n} only through a relay",
    summary_inconclusive: ", {n} inconclusive",
    services_of: &["service", "services"],
    checks: &["check", "checks"],
    probing: "testing…",
    label_ok: "reachable",
    label_reachable: "reachable",
    label_slow: "slow",
    label_throttled: "throttled",
    label_stalled: "stalled",
    label_partial: "partly blocked",
    label_blocked: "blocked",
    label_relay_only: "relayed only",
    label_inconclusive: "inconclusive",
    failure_timeout: "no answer",
    failure_fast: "failed at once (reset or refused)",
    failure_slow: "failed after a delay",
    reason_controls_failed: "the control sites failed too",
    reason_international_down: "only sites inside the country answer",
    reason_not_run: "not tested",
    reason_bad_port: "a port browsers refuse",
    reason_csp: "blocked by this page's security policy",
    reason_mixed_content: "an insecure address on a secure page",
    reason_browser_refused: "refused by the browser",
    reason_candidates_hidden: "your browser hides the network details calls need",
    reason_server_error: "the server answered with an error, so the transfer could not be measured",
    reason_content_blocker: "blocked by your browser or an extension",
    reason_network_changed: "your network changed during the test",
    reason_endpoint_broken: "fails for everyone: it also failed in the catalog's own check",
    reason_upload_refused: "the host answered, but the connection was closed during the upload (a server \
        limit or a reset: a page cannot tell which)",
    reason_udp_down:
        "UDP does not get through on this network at all, not even to the domestic reference server",
    status_answered: "answered HTTP {status}",
    hint_content_blocker: "Your browser or one of its extensions (an ad or tracker blocker, or \
        strict tracking protection) blocked some checks. Those are shown as inconclusive, not as \
        blocked by your network. For a clean result, run the test again in a window without \
        extensions, for example a private window with extensions turned off, or another browser.",
    hint_network_changed: "Your network changed during the test (for example, the device switched \
        between Wi-Fi and mobile data). Checks that were running at that moment are inconclusive, \
        not blocked. Run the test again on a steady connection.",
    note_baseline: "Checks that also failed in the catalog's own test from an unfiltered network \
        (on {date}) are shown as inconclusive: they are broken for everyone, not blocked for you.",
    baseline_problem: "The catalog's own test results could not be read ({why}); failures are \
        judged without them.",
    explain_reachable: "All {n} {checks} answered (median {ms}).",
    explain_slow: "It answers, but slowly: {ms} against {control} for the control sites.",
    explain_throttled: "It answers, but data trickles or stops midway — looks throttled.",
    explain_relay_only: "Voice/video calls over UDP look blocked from your network; relayed calls may work.",
    explain_partial: "{blocked} of {n} checks failed ({failure}) while the others answered — partly blocked.",
    explain_blocked_timeout:
        "All {n} {checks} got no answer while the control sites answered in {control} — looks blocked.",
    explain_blocked_fast:
        "All {n} {checks} failed at once (connection reset or refused) while the control sites \
        answered in {control} — looks blocked.",
    explain_blocked_slow:
        "All {n} {checks} failed while the control sites answered in {control} — looks blocked.",
    explain_controls_failed:
        "The control sites did not answer either: your connection may be down, so nothing \
        can be concluded.",
    explain_international_down:
        "Only sites inside the country answered: foreign traffic seems cut off as a whole, \
        so this service cannot be judged on its own.",
    explain_browser: "Your browser or this page stopped the test ({reason}), not the network.",
    explain_inconclusive: "Cannot be judged: {reason}.",
    explain_not_run: "Not tested: the run was cancelled.",
    calls_name: "Calls (voice and video over UDP)",
    widget_intro: "Can these services be reached from your network? The test runs in your browser; \
        your network operator can see which sites it contacts.",
    widget_details: "Full results (new tab)",
    widget_config_error: "This reachcheck widget is set up wrongly:",
    submit_opt_in: "Share these results anonymously with researchers",
    submit_payload: "Exactly what will be sent",
    submit_note: "Sent to {endpoint}. That server sees your connection's address, as every server you \
        visit does; the reference collector uses it only to look up your country and network, then \
        forgets it. The report carries no address, no cookies and nothing that links it to other runs.",
    submit_send: "Send anonymized results",
    submit_sending: "Sending…",
    submit_sent: "Sent. Thank you.",
    submit_queued: "Could not reach the collector now; the report is kept on this device and sent \
        on a later visit.",
    submit_unreachable: "Could not reach the collector now, and nothing was kept. You can try again later.",
    submit_refused: "The collector refused the report: {why}",
    issue: |issue| issue.to_string(),
    load_bad_url: "{url} is not an address this page can load.",
    load_fetch: "{url} {why}.",
    load_invalid: "{url} is not a valid list ({n} problem(s)):",
    load_unknown_services: "The page asks for services the list does not have: {ids}.",
    fetch_network: "could not be fetched (a network error, or the server does not allow it)",
    fetch_status: "answered with an error (HTTP {status})",
    fetch_unreadable: "arrived but could not be read",
    fetch_no_answer: "did not answer in time",
    share_too_long: "the link is longer than {limit} characters",
    share_other_version: "the link is from another version of reachcheck",
    share_damaged: "the link is damaged",
    connection_down: "Your connection seems to be down — none of the reference sites answered.",
    connection_allow_list: "Only sites inside the country answer: your network looks restricted to an \
        allow-list (as mobile internet in parts of Russia is during restrictions). Foreign services cannot \
        be judged on it.",
    services_not_judged: "{n} services could not be judged: with no reference site answering, a failure \
        says nothing about a service. Run the test again when the connection is back.",
    unit_ms: "{n} ms",
};

pub static EN_APP: AppStrings = AppStrings {
    name: "English",
    tagline: "Which services can you still reach from your network?",
    intro_heading: "What this does",
    intro_does: "reachcheck tries to contact services such as WhatsApp, Telegram, Signal and \
        YouTube directly from your browser, over your own network, and times the answers. \
        It compares them with well-known sites that are rarely blocked, so it can tell \
        \"this service looks blocked or throttled\" apart from \"your connection is down\".",
    operator_heading: "What your network operator can see",
    operator_text: "Your internet provider (and anyone watching your network) can see that your \
        browser contacted these services during the test, just as if you had opened them. The \
        services themselves see a visit from your address. If that could put you at risk, do not \
        run the test on this network.",
    sent_heading: "What is and is not sent",
    sent_text: "The test runs entirely in your browser. Its results stay on this device (in this \
        browser's history of runs) unless you choose to export or share them. Nothing about you \
        is sent to reachcheck.",
    intro_not_heading: "What it does not do",
    intro_does_not: &[
        "It does not run anything until you agree to start the test.",
        "It does not hide that you tested.",
        "It does not send your results anywhere unless you choose to share them.",
        "It cannot see why a connection failed, only how: when it cannot tell, it says so.",
    ],
    start_note: "Nothing is contacted until you confirm on the next step.",
    results_heading: "Results",
    controls_heading: "Control sites",
    controls_explain: "Sites that are rarely blocked, tested at the same time: every verdict is \
        judged against them.",
    details: "Details",
    chart_caption: "Time to answer (logarithmic scale). Dashed line: the control sites.",
    col_check: "Check",
    col_kind: "Kind",
    col_verdict: "Verdict",
    col_failure: "How it failed",
    col_time: "Time",
    col_samples: "Answered",
    col_data: "Data",
    waiting: "waiting",
    export: "Export JSON",
    copy_summary: "Copy summary",
    copied: "Copied.",
    copy_failed: "Copying is not allowed here; select the text below instead.",
    share: "Share link",
    share_label: "Link to these results",
    share_note: "The results are inside the link itself (after the #): no server stores them. \
        Anyone with the link sees them.",
    history: "History",
    history_heading: "Your earlier runs (on this device only)",
    history_empty: "No earlier runs on this device.",
    clear_history: "Clear history",
    open: "Open",
    history_ignored: "Saved history could not be read and was ignored.",
    viewing_shared: "These are someone else's results, opened from a link. They are read-only.",
    viewing_history: "Results of your run at {time} UTC, from your history.",
    back_to_own: "Back to your test",
    share_error: "This share link could not be opened: {why}.",
    measured_at: "Measured at",
    outbox_delivered: "Delivered {n} earlier report(s) that were waiting on this device.",
    outbox_waiting: "{n} report(s) are still waiting on this device to be sent.",
    outbox_given_up: "{n} report(s) could not be delivered after repeated attempts (or were refused by the collector) and were removed from this device.",
    language: "Language",
    footer_note: "free software; runs entirely in your browser",
    unit_kbps: "{n} kB/s",
    unit_kb: "{n} KB",
    networks_freeze: "Connections to {frozen} of {total} networks freeze after ~16 KB: sites hosted there \
        load partly or not at all.",
    networks_no_freeze: "No connection to the {total} networks froze.",
    networks_blocked: " Did not answer at all: {n}.",
    networks_unknown: " Could not be judged: {n}.",
    network_works: "carries data",
    network_freezes: "freezes after ~16 KB",
    network_blocked: "no answer",
    network_unknown: "not judged",
    col_network: "Network",
    rate_vs_controls: " Data arrives at {rate}; from the control sites at {control} or more.",
    rate_alone: " Data arrives at {rate}.",
    private_mode: "Private mode: keep nothing on this device",
    private_on: "Nothing from this visit is written to this device: no history of runs, no reports kept for \
        later. (The browser's own history still lists the page; a private window leaves that out too.)",
    delete_everything: "Delete everything reachcheck stored on this device",
    delete_confirm: "Delete the history of your runs and any reports waiting to be sent, on this device? This \
        cannot be undone.",
    delete_yes: "Delete",
    delete_no: "Keep",
    deleted: "Deleted: {n} item(s) reachcheck had stored on this device.",
    footer_digest: "Code fingerprint (SHA-256 of the app's wasm):",
    how_label: "How:",
    method_dns: "your provider's DNS does not give out its name (its address answers)",
    method_name: "filtered by name on the way (DPI): its address answers, its name does not",
    method_address: "its addresses are cut (IP blocking)",
    method_unknown: "cannot tell from a browser",
    advice_label: "What you can do:",
    advice_dns: "Turning on secure DNS in your browser usually helps. Chrome: Settings → Privacy and \
        security → Security → Use secure DNS. Firefox: Settings → Privacy & Security → DNS over HTTPS. \
        Safari uses the system's DNS: an encrypted DNS profile in the iPhone's or Mac's settings.",
    advice_name: "Changing DNS does not help here: the name is seen in the connection itself. Tools that \
        encrypt and relay the whole connection through another network (a VPN or a proxy) tend to work. \
        Check what is safe where you are before using one.",
    advice_address: "Neither DNS settings nor a different browser help: the service's servers are cut \
        off. Only a relay through another network (a VPN or a proxy) reaches them; the service's own \
        app may find other addresses. Check what is safe where you are before using one.",
    advice_calls: "Calls over UDP do not get through. Apps that can relay calls through a server (an \
        option often called \"relay calls\") may still connect, at lower quality.",
    advice_throttled: "Data gets through, slowly: text messages and small pages work; video, voice and \
        video calls, and large files suffer.",
    diagnosing: "Finding out how the failed services are blocked…",
    glance_heading: "At a glance",
    picture: "Summary picture",
    picture_download: "Download the picture (PNG)",
    picture_failed: "This browser could not draw the picture.",
    picture_mobile: "mobile network",
    picture_fixed: "Wi-Fi or cable",
    picture_allow_list: "only sites inside the country answered (allow-list)",
    picture_footer: "Tested in the browser with reachcheck",
    others_heading: "What others on your network saw",
    others_explain: "Compare with today's tests from your network. Asking tells {host} that this \
        address ran a test: it works out your country and network from the address, answers, and \
        does not store the address. Nothing is asked unless you press the button.",
    others_ask: "Compare with my network",
    others_asking: "Asking…",
    others_failed: "The collector did not answer; nothing was compared.",
    others_you: "you:",
    others_share: "on your network today: {label} in {percent} % of {n} tests",
    others_too_few: "not enough tests from your network today to compare (fewer than {k})",
    offline_start: "Started from the copy saved on this device: reachcheck's site did not answer in time. \
        The test works as usual.",
    new_version: "A newer version of reachcheck has arrived and is saved on this device. It applies when you reload the page.",
    reload: "Reload",
    share_from_disk: "This page was opened from a file, so the link opens only on this device. To \
        pass the results on, send the exported report or the summary picture.",
    single_file_note: "You are using the one-file copy of reachcheck. The test works as usual; \
        the history is kept by this browser for files opened from this device.",
};
