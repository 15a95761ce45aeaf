//! `webrtc` probe: can this network carry call media? ICE gathering against the endpoint's STUN
//! (or TURN) server sends real STUN requests: a server-reflexive (`srflx`) candidate means UDP
//! reached the server and back; a `relay` candidate means a TURN relay works. No media, no
//! permission prompt. Decided within the endpoint's deadline: with a dead server Chromium itself
//! only gives up after ~40 s.

use std::cell::RefCell;
use std::rc::Rc;

use reachcheck_core::catalog::Endpoint;
use reachcheck_core::measurement::{Ice, Obstacle, Outcome, Sample};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    RtcConfiguration, RtcIceServer, RtcPeerConnection, RtcPeerConnectionIceErrorEvent,
    RtcPeerConnectionIceEvent, RtcSessionDescriptionInit,
};

use super::clock::{first_of, now_ms, within};
use super::sample_after;

pub async fn attempt(endpoint: &Endpoint) -> Result<(Sample, Ice), Obstacle> {
    let server = RtcIceServer::new();
    server.set_urls_str(&endpoint.url);
    if let (Some(username), Some(credential)) = (&endpoint.username, &endpoint.credential) {
        server.set_username(username);
        server.set_credential(credential);
    }
    let config = RtcConfiguration::new();
    config.set_ice_servers(&js_sys::Array::of1(&server));
    let connection =
        RtcPeerConnection::new_with_configuration(&config).map_err(|_| Obstacle::BrowserRefused)?;
    // A data channel gives the offer something to negotiate, which starts gathering.
    let _channel = connection.create_data_channel("reachcheck");

    let ice = Rc::new(RefCell::new(Ice::default()));
    let start = Rc::new(std::cell::Cell::new(now_ms()));
    let (srflx_seen, srflx) = first_of::<()>();
    let on_candidate = Closure::<dyn FnMut(RtcPeerConnectionIceEvent)>::new({
        let (ice, start) = (ice.clone(), start.clone());
        move |event: RtcPeerConnectionIceEvent| {
            let Some(candidate) = event.candidate() else { return };
            let elapsed = now_ms() - start.get();
            let mut ice = ice.borrow_mut();
            match candidate_type(&candidate.candidate()) {
                Some("host") => ice.host_candidates += 1,
                Some("srflx") if ice.srflx_ms.is_none() => {
                    ice.srflx_ms = Some(elapsed);
                    srflx_seen(());
                }
                Some("relay") if ice.relay_ms.is_none() => ice.relay_ms = Some(elapsed),
                _ => {}
            }
        }
    });
    let on_error = Closure::<dyn FnMut(RtcPeerConnectionIceErrorEvent)>::new({
        let ice = ice.clone();
        move |event: RtcPeerConnectionIceErrorEvent| ice.borrow_mut().error_codes.push(event.error_code())
    });
    connection.set_onicecandidate(Some(on_candidate.as_ref().unchecked_ref()));
    let _ =
        connection.add_event_listener_with_callback("icecandidateerror", on_error.as_ref().unchecked_ref());

    let gathering = async {
        let offer = JsFuture::from(connection.create_offer()).await.map_err(|_| Obstacle::BrowserRefused)?;
        start.set(now_ms());
        JsFuture::from(connection.set_local_description(offer.unchecked_ref::<RtcSessionDescriptionInit>()))
            .await
            .map_err(|_| Obstacle::BrowserRefused)?;
        let _ = srflx.await;
        Ok::<(), Obstacle>(())
    };
    let finished = within(f64::from(endpoint.timeout_ms), gathering).await;
    connection.set_onicecandidate(None);
    let _ = connection
        .remove_event_listener_with_callback("icecandidateerror", on_error.as_ref().unchecked_ref());
    connection.close();
    if let Some(Err(obstacle)) = finished {
        return Err(obstacle);
    }
    let ice = ice.borrow().clone();
    let sample = match ice.srflx_ms.or(ice.relay_ms) {
        Some(ms) => sample_after(Outcome::Ok, ms),
        None => sample_after(Outcome::Timeout, f64::from(endpoint.timeout_ms)),
    };
    Ok((sample, ice))
}

/// The `typ` of an ICE candidate line (`candidate:… typ srflx raddr …`).
fn candidate_type(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace();
    words.by_ref().find(|w| *w == "typ")?;
    words.next()
}
