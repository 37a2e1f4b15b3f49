// The technician phone page's browser side: position, sound, Web Push subscription. Loaded as a module by
// Pages/Technician/Phone.razor; each function answers plain data and never throws into .NET.

export function locate() {
  return new Promise(resolve => {
    if (!navigator.geolocation) {
      resolve({ ok: false, code: 2, message: "no geolocation in this browser" });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      p => resolve({ ok: true, latitude: p.coords.latitude, longitude: p.coords.longitude, accuracy: p.coords.accuracy ?? 0 }),
      e => resolve({ ok: false, code: e.code, message: e.message }),
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 0 });
  });
}

// A short two-tone chime for a new ticket (no audio file to ship). Browsers allow sound only after the person has
// touched the page once; before that the chime is skipped and the page still highlights the ticket.
let audio;
export function chime() {
  try {
    audio = audio || new (window.AudioContext || window.webkitAudioContext)();
    const t = audio.currentTime;
    [880, 660].forEach((f, i) => {
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.frequency.value = f;
      g.gain.setValueAtTime(0.25, t + i * 0.2);
      g.gain.exponentialRampToValueAtTime(0.001, t + i * 0.2 + 0.18);
      o.connect(g).connect(audio.destination);
      o.start(t + i * 0.2);
      o.stop(t + i * 0.2 + 0.2);
    });
    document.body.dataset.chimes = String(Number(document.body.dataset.chimes || 0) + 1);
    return true;
  } catch {
    return false;
  }
}

function keyBytes(base64url) {
  const s = atob(base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - base64url.length % 4) % 4));
  return Uint8Array.from(s, c => c.charCodeAt(0));
}

// Registers the service worker, subscribes with the server's VAPID key and stores the subscription (cookie auth).
export async function subscribePush(tenantId) {
  try {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
      return "this browser has no Web Push";
    }
    const permission = await Notification.requestPermission();
    if (permission !== "granted") {
      return "notifications are not allowed";
    }
    const registration = await navigator.serviceWorker.register("_content/PropertyEba.Dashboard/sw.js", { scope: "_content/PropertyEba.Dashboard/" });
    const base = `api/tenants/${encodeURIComponent(tenantId)}/notifications`;
    const key = await (await fetch(`${base}/push/key`, { credentials: "same-origin" })).json();
    const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key.publicKey) });
    const saved = await fetch(`${base}/push/subscriptions`, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(subscription.toJSON()),
    });
    return saved.ok ? null : `the server answered ${saved.status}`;
  } catch (e) {
    return String(e && e.message || e);
  }
}
