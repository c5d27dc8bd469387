// The start-up benchmark's one-call row for the official Node SDK: one
// admins.identify() (GET /me), printed.
//
//   INTERCOM_ACCESS_TOKEN=… BASE_URL=http://127.0.0.1:4010 node identify.mjs
import { IntercomClient } from "intercom-client";

const client = new IntercomClient({ token: process.env.INTERCOM_ACCESS_TOKEN, baseUrl: process.env.BASE_URL, version: "2.10" });
console.log(JSON.stringify(await client.admins.identify()));
