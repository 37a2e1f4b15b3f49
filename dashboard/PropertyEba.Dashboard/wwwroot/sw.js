// Service worker of the technician page: shows a Web Push notification (the JSON LiveNotification the server sends)
// and opens its link when tapped.
self.addEventListener("push", event => {
  let n = {};
  try { n = event.data ? event.data.json() : {}; } catch { n = { subject: event.data && event.data.text() }; }
  event.waitUntil(self.registration.showNotification(n.subject || "PropertyEba", {
    body: n.body || "",
    tag: n.ticketId ? `ticket-${n.ticketId}` : undefined,
    renotify: true,
    requireInteraction: n.kind === "ticket.assigned" || n.kind === "ticket.escalated",
    data: { link: n.link || "/technician" },
  }));
});

self.addEventListener("notificationclick", event => {
  event.notification.close();
  event.waitUntil(self.clients.openWindow(event.notification.data && event.notification.data.link || "/technician"));
});
