# The README's library example as a Python cdktf user writes it: two roles in one stack, with the
# Python binding of hashicorp/aws 5.x and this package as jsii-pacmak builds it.
import os

from cdktf import App, LocalBackend, TerraformStack
from cdktf_cdktf_provider_aws.provider import AwsProvider
from pinpoint_personalize_role import PinpointPersonalizeRole

app = App(outdir=os.environ["CDKTF_OUTDIR"])
stack = TerraformStack(app, "recs")
AwsProvider(stack, "aws", region="us-east-1")
LocalBackend(stack, path="terraform.tfstate")
PinpointPersonalizeRole(stack, "Books", campaign_id="books", solution_id="books-solution", role_name="BooksRole", policy_name="BooksPolicy")
PinpointPersonalizeRole(stack, "Movies", campaign_id="movies", solution_id="movies-solution", role_name="MoviesRole", policy_name="MoviesPolicy")
try:
    PinpointPersonalizeRole(stack, "Bad", campaign_id="books*", solution_id="s")
except Exception as error:  # jsii carries the construct's Error to Python
    print("refused:", error)
app.synth()
