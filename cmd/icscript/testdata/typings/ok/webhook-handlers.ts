// A listen handler file: each handler's event is typed by its topic.
export default {
  "conversation.user.created": async (event) => {
    const conv: Intercom.Conversation = event.data.item;
    const body: string | undefined = conv.source?.body;
    console.log(event.id, event.topic, body);
  },
  "contact.tag.created": async (event) => {
    console.log(event.data.item.tag.name, event.data.item.contact.id);
  },
  "ticket.state.updated": (event) => {
    console.log(event.data.item.ticket_state);
  },
  "*": (event) => console.log("other topic", event.topic),
} satisfies Intercom.WebhookHandlers;
