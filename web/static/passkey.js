// Passkeys: register one from the account page ([data-passkey-register])
// and use one as the second factor at sign-in ([data-passkey-signin]).
// Each button carries the form's CSRF token and the addresses to ask for
// the options and to send the browser's answer to.
(function () {
  "use strict";

  function post(url, fields) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(fields),
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (body) {
        if (!r.ok) { throw new Error((body.error && body.error.message) || "The server refused the passkey (" + r.status + ")."); }
        return body;
      });
    });
  }

  function say(btn, msg) {
    var out = document.getElementById(btn.dataset.status);
    if (out) { out.textContent = msg; }
  }

  function run(btn, create) {
    if (!window.PublicKeyCredential || !PublicKeyCredential.parseCreationOptionsFromJSON) {
      say(btn, "This browser cannot use passkeys.");
      return;
    }
    var csrf = btn.dataset.csrf;
    btn.disabled = true;
    say(btn, "Waiting for your passkey…");
    post(btn.dataset.options, { csrf: csrf }).then(function (c) {
      var cred = create
        ? navigator.credentials.create({ publicKey: PublicKeyCredential.parseCreationOptionsFromJSON(c.publicKey) })
        : navigator.credentials.get({ publicKey: PublicKeyCredential.parseRequestOptionsFromJSON(c.publicKey) });
      return cred.then(function (credential) {
        var fields = { csrf: csrf, token: c.token, credential: JSON.stringify(credential.toJSON()), next: btn.dataset.next || "" };
        var name = document.getElementById("passkey-name");
        if (create && name) { fields.name = name.value; }
        return post(btn.dataset.finish, fields);
      });
    }).then(function (res) {
      window.location.assign(res.next || "/account");
    }).catch(function (err) {
      btn.disabled = false;
      say(btn, err && err.message ? err.message : "The passkey did not work.");
    });
  }

  document.addEventListener("click", function (ev) {
    var reg = ev.target.closest("[data-passkey-register]");
    if (reg) { ev.preventDefault(); run(reg, true); return; }
    var use = ev.target.closest("[data-passkey-signin]");
    if (use) { ev.preventDefault(); run(use, false); }
  });
})();
