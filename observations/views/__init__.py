"""The observations app's pages, one module per concern: visits, the observation form
(observations), analysis, instruments and the calendar feed."""
