vcl 4.1;

# Varnish in front of Newsroom (Varnish 6 or 7).
#
# - Caches what the site says is public (Cache-Control: public, s-maxage=...),
#   for as long as it says, and serves it stale for a day while the site is down.
# - Never caches the admin, previews, search results, anything a signed-in
#   user asks for (session cookie), or a response that sets a cookie.
# - Newsroom purges exactly what changed: with PURGE_BACKEND=varnish and
#   VARNISH_URLS pointing here, every committed edit sends
#   "BAN /" with X-Ban-Surrogate-Key: a regular expression over the keys that
#   changed, matched against each stored page's Surrogate-Key header.
#   "PURGE /some/path/" drops one address. Both only from the purgers ACL.
#
# Start it with, for example:
#   varnishd -a :80 -f /etc/varnish/newsroom.vcl -s malloc,256m

import std;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    # The health check tells Varnish when to serve stale pages instead of waiting.
    .probe = {
        .url = "/robots.txt";
        .interval = 5s;
        .timeout = 2s;
        .window = 5;
        .threshold = 3;
    }
}

# Who may purge: the machines Newsroom runs on.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.X-Ban-Surrogate-Key) {
            return (synth(400, "X-Ban-Surrogate-Key missing"));
        }
        # On obj.* only, so the ban lurker can clear matching objects in the background.
        ban("obj.http.Surrogate-Key ~ " + req.http.X-Ban-Surrogate-Key);
        return (synth(200, "Banned"));
    }
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The desk, previews and search are never shared.
    if (req.url ~ "^/(admin|preview)/" || req.url ~ "^/search/" || req.url ~ "^/healthz") {
        return (pass);
    }
    if (req.http.Authorization || req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Readers arriving from social networks and newsletters carry tracking
    # parameters that do not change the page: one copy serves them all.
    set req.url = regsuball(req.url, "(?<=[?&])(utm_[a-z_]+|fbclid|gclid|mc_cid|mc_eid|igshid)=[^&]*(&|$)", "");
    set req.url = regsub(req.url, "[?&]$", "");
    # Public pages use no cookies; keeping them would split the cache per reader.
    unset req.http.Cookie;
    # Serve slightly stale pages while refetching when the site is up; a day's worth when it is down.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 60s;
    }
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Set-Cookie) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    if (beresp.http.Cache-Control ~ "(private|no-store|no-cache)" || !beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # s-maxage (which Newsroom keeps within the next publication time) sets the TTL.
    set beresp.grace = 24h;
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
    # The keys are for this cache; readers need not see them.
    unset resp.http.Surrogate-Key;
    unset resp.http.Cache-Tag;
}
