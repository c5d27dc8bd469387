// A conversation's event has no contact fields: its item is a Conversation.
// expect: TS18046
// expect: event.data.item.email
export default {
  "conversation.user.created": async (event) => {
    console.log(event.data.item.email.toLowerCase());
  },
} satisfies Intercom.WebhookHandlers;
