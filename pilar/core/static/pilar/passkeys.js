// Sign-in security: once a passkey is added, show it in the list (the page again).
document.addEventListener("otp_webauthn.register_complete", () => window.location.reload());
