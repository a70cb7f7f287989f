import { ensureTestCerts } from "./certs";

export default function setup() {
  ensureTestCerts();
}
