// Placeholder: the participant page is written on the live-page branch.
"use strict";
