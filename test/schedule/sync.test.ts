import { conformance } from "./conformance";

conformance("sync");
