// A handler's event is typed by its topic: a ticket is not a contact.
// expect: TS2322
// expect: Type 'unknown' is not assignable to type 'string'
export default {
  "ticket.state.updated": (event) => {
    const role: string = event.data.item.contacts.role;
    console.log(role);
  },
} satisfies Intercom.WebhookHandlers;
