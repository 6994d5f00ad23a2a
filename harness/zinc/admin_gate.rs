//! Who may use the admin API. It installs faults, rotates the token and turns provisioning
//! off, so a web page the developer happens to open must not reach it: a browser sends any
//! page's requests to `127.0.0.1`, and DNS rebinding lets a page's own host name point there.
//!
//! A request is refused when its `Host` is a name other than `localhost` (rebinding needs a
//! name; an IP literal cannot be rebound) or another port; when it carries an `Origin` other
//! than the server's own, or `Sec-Fetch-Site` says another site; when it has a body that is
//! not `application/json` (what an HTML form can send); and, with an admin token, when it
//! does not carry it. Off entirely unless [`AdminGate::enabled`].

use std::net::{IpAddr, SocketAddr};

use axum::http::{HeaderMap, header};
use subtle::ConstantTimeEq;

/// The admin API's settings, from [`ZincConfig`](super::ZincConfig).
#[derive(Debug, Clone)]
pub(crate) struct AdminGate {
    pub enabled: bool,
    pub token: Option<String>,
    /// Where the server listens (maybe `0.0.0.0`).
    pub addr: SocketAddr,
}

/// Why a request was refused: the status and the admin API's `{"error", "message"}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub status: u16,
    pub code: &'static str,
    pub message: String,
}

fn refuse(status: u16, code: &'static str, message: String) -> Result<(), Refusal> {
    Err(Refusal {
        status,
        code,
        message,
    })
}

impl AdminGate {
    pub(crate) fn check(&self, headers: &HeaderMap) -> Result<(), Refusal> {
        if !self.enabled {
            return refuse(
                404,
                "admin_off",
                format!(
                    "the admin API is off: the server listens on {}, beyond loopback; start it with --admin-token to turn the admin API on",
                    self.addr
                ),
            );
        }
        let text = |name| {
            headers
                .get(name)
                .map(|v| String::from_utf8_lossy(v.as_bytes()))
        };
        let host = text(header::HOST).unwrap_or_default();
        if !self.host_allowed(&host) {
            return refuse(
                403,
                "forbidden_host",
                format!(
                    "Host {host:?} is not this server: use localhost or the IP address it listens on, port {}",
                    self.addr.port()
                ),
            );
        }
        if let Some(origin) = text(header::ORIGIN)
            && !origin.eq_ignore_ascii_case(&format!("http://{host}"))
        {
            return refuse(
                403,
                "cross_origin",
                format!(
                    "a request from another origin ({origin}) is refused: the admin API is not for web pages"
                ),
            );
        }
        if let Some(site) = text(axum::http::HeaderName::from_static("sec-fetch-site"))
            && !matches!(site.as_ref(), "same-origin" | "none")
        {
            return refuse(
                403,
                "cross_origin",
                format!("a {site} browser request is refused: the admin API is not for web pages"),
            );
        }
        let has_body = headers.contains_key(header::TRANSFER_ENCODING)
            || text(header::CONTENT_LENGTH).is_some_and(|n| n.trim() != "0");
        match text(header::CONTENT_TYPE) {
            Some(ct) if !is_json(&ct) => {
                return refuse(
                    415,
                    "unsupported_media_type",
                    format!("Content-Type {ct:?}: the admin API takes application/json only"),
                );
            }
            None if has_body => {
                return refuse(
                    415,
                    "unsupported_media_type",
                    "a body without Content-Type: the admin API takes application/json only"
                        .to_owned(),
                );
            }
            Some(_) | None => {}
        }
        if let Some(token) = &self.token {
            let sent = headers
                .get(header::AUTHORIZATION)
                .map(|v| v.as_bytes())
                .unwrap_or_default();
            let want = format!("Bearer {token}");
            if !bool::from(sent.ct_eq(want.as_bytes())) {
                return refuse(
                    401,
                    "unauthorized",
                    "the admin API needs Authorization: Bearer <the --admin-token>".to_owned(),
                );
            }
        }
        Ok(())
    }

    /// `localhost` or an IP literal that is loopback or the listening address (any IP
    /// literal when listening on every interface), on the listening port.
    fn host_allowed(&self, host: &str) -> bool {
        let Ok(authority) = host.parse::<axum::http::uri::Authority>() else {
            return false;
        };
        if authority.port_u16().unwrap_or(80) != self.addr.port() {
            return false;
        }
        let name = authority.host();
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let literal = name.trim_start_matches('[').trim_end_matches(']');
        match literal.parse::<IpAddr>() {
            Ok(ip) => ip.is_loopback() || ip == self.addr.ip() || self.addr.ip().is_unspecified(),
            Err(_) => false,
        }
    }
}

fn is_json(content_type: &str) -> bool {
    content_type
        .split(';')
        .next()
        .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gate(addr: &str, token: Option<&str>) -> AdminGate {
        AdminGate {
            enabled: true,
            token: token.map(str::to_owned),
            addr: addr.parse().unwrap(),
        }
    }

    fn headers(pairs: &[(&str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(
                axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                v.parse().unwrap(),
            );
        }
        h
    }

    #[test]
    fn hosts_that_are_this_server_pass_others_do_not() {
        let g = gate("127.0.0.1:8080", None);
        for ok in [
            "127.0.0.1:8080",
            "localhost:8080",
            "LOCALHOST:8080",
            "[::1]:8080",
            "127.0.0.2:8080",
        ] {
            assert_eq!(g.check(&headers(&[("host", ok)])), Ok(()), "{ok}");
        }
        for bad in [
            "evil.example:8080",
            "127.0.0.1:9090",
            "127.0.0.1",
            "10.0.0.1:8080",
            "",
        ] {
            let r = g.check(&headers(&[("host", bad)])).unwrap_err();
            assert_eq!((r.status, r.code), (403, "forbidden_host"), "{bad}");
        }
        // Listening everywhere: any IP literal, still no names.
        let g = gate("0.0.0.0:8080", Some("admin-secret"));
        let auth = ("authorization", "Bearer admin-secret");
        assert_eq!(
            g.check(&headers(&[("host", "192.168.1.5:8080"), auth])),
            Ok(())
        );
        assert!(
            g.check(&headers(&[("host", "rebind.example:8080"), auth]))
                .is_err()
        );
    }

    #[test]
    fn cross_origin_form_bodies_and_missing_tokens_are_refused() {
        let g = gate("127.0.0.1:8080", None);
        let host = ("host", "127.0.0.1:8080");
        let code = |h: &[(&str, &str)]| g.check(&headers(h)).map_err(|r| (r.status, r.code));
        assert_eq!(code(&[host, ("origin", "http://127.0.0.1:8080")]), Ok(()));
        assert_eq!(
            code(&[host, ("origin", "https://evil.example")]),
            Err((403, "cross_origin"))
        );
        assert_eq!(
            code(&[host, ("origin", "null")]),
            Err((403, "cross_origin"))
        );
        assert_eq!(
            code(&[host, ("sec-fetch-site", "cross-site")]),
            Err((403, "cross_origin"))
        );
        assert_eq!(code(&[host, ("sec-fetch-site", "same-origin")]), Ok(()));
        assert_eq!(
            code(&[
                host,
                ("content-type", "text/plain"),
                ("content-length", "2")
            ]),
            Err((415, "unsupported_media_type"))
        );
        assert_eq!(
            code(&[host, ("content-type", "application/x-www-form-urlencoded")]),
            Err((415, "unsupported_media_type"))
        );
        assert_eq!(
            code(&[host, ("content-length", "5")]),
            Err((415, "unsupported_media_type"))
        );
        assert_eq!(code(&[host, ("content-length", "0")]), Ok(()));
        assert_eq!(
            code(&[host, ("content-type", "application/json; charset=utf-8")]),
            Ok(())
        );

        let g = gate("127.0.0.1:8080", Some("admin-secret"));
        let code = |h: &[(&str, &str)]| g.check(&headers(h)).map_err(|r| (r.status, r.code));
        assert_eq!(code(&[host]), Err((401, "unauthorized")));
        assert_eq!(
            code(&[host, ("authorization", "Bearer nope")]),
            Err((401, "unauthorized"))
        );
        assert_eq!(
            code(&[host, ("authorization", "Bearer admin-secret")]),
            Ok(())
        );

        let off = AdminGate {
            enabled: false,
            ..g
        };
        assert_eq!(off.check(&headers(&[host])).unwrap_err().status, 404);
    }
}
